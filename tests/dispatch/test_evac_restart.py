"""A SIGKILLed service restarts with every accepted request and evacuation intact."""

import asyncio
import os
import signal
import socket
import subprocess
import sys

import aiohttp
import pytest

from medevac.config import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def start(database_url: str, port: int) -> subprocess.Popen:
    env = os.environ | {"MEDEVAC_DATABASE_URL": database_url, "MEDEVAC_PORT": str(port),
                        "MEDEVAC_LOG_LEVEL": "warning", "MEDEVAC_PLANNER_TIME_LIMIT_S": "0.5",
                        "MEDEVAC_PLANNER_DEBOUNCE_S": "0.05"}
    process = subprocess.Popen([sys.executable, "-m", "medevac", "serve"], cwd=REPO_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    async with aiohttp.ClientSession() as session:
        for _ in range(150):
            if process.poll() is not None:
                raise AssertionError(f"service exited with {process.returncode}")
            try:
                async with session.get(f"http://127.0.0.1:{port}/readyz") as r:
                    if r.status == 200:
                        return process
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise AssertionError("service did not become ready")


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


async def test_killed_service_resumes_with_requests_and_evacuations(database_url, token, theatre, wordings, db):
    field, dispatcher = await token("field", user="rto"), await token("dispatcher")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = await start(database_url, port)
    try:
        async with aiohttp.ClientSession(base) as http:
            created = []
            for i, text in enumerate([wordings["us"], wordings["nato"], wordings["labelled"]]):
                async with http.post("/v1/evac-requests", data=text.encode(), headers=field | {
                        "Content-Type": "text/plain", "Idempotency-Key": f"call-{i}"}) as r:
                    assert r.status == 201, await r.text()
                    created.append(await r.json())
            async with http.post(f"/v1/evac-requests/{created[0]['id']}/approve", headers=dispatcher, json={
                    "asset_id": str(theatre.helos[0].id), "facility_id": str(theatre.level_ii.id)}) as r:
                assert r.status == 201, await r.text()
                evac = await r.json()
            async with http.post(f"/v1/evacuations/{evac['id']}/transitions", headers=field,
                                 json={"to": "airborne"}) as r:
                assert r.status == 200
                evac = await r.json()
    finally:
        kill(process)
    before_kill = await db.fetchval("SELECT plan_no FROM plans") or 0

    process = await start(database_url, port)
    try:
        async with aiohttp.ClientSession(base) as http:
            listed = await (await http.get("/v1/evac-requests", headers=dispatcher)).json()
            assert {r["id"] for r in listed["items"]} == {r["id"] for r in created}
            for before in created:
                after = await (await http.get(f"/v1/evac-requests/{before['id']}", headers=dispatcher)).json()
                assert after["casualties"] == [c | {"status": after["casualties"][i]["status"],
                                                    "evacuation_id": after["casualties"][i]["evacuation_id"]}
                                               for i, c in enumerate(before["casualties"])]
                assert after["nine_line"] == before["nine_line"] and after["raw_text"] == before["raw_text"]
            again = await (await http.get(f"/v1/evacuations/{evac['id']}", headers=dispatcher)).json()
            assert again == evac
            assert await db.fetchval("SELECT status FROM assets WHERE id = $1", theatre.helos[0].id) == "tasked"
            async with http.post("/v1/evac-requests", data=wordings["nato"].encode(), headers=field | {
                    "Content-Type": "text/plain", "Idempotency-Key": "call-1"}) as r:
                assert r.status == 201 and (await r.json())["id"] == created[1]["id"]  # a retry, not a new call
            async with http.post(f"/v1/evacuations/{evac['id']}/transitions", headers=field,
                                 json={"to": "at_pickup"}) as r:
                assert r.status == 200 and (await r.json())["airborne_at"] == evac["airborne_at"]
            async with asyncio.timeout(10):  # the restarted planner covers what is still open
                while True:
                    shown = [await (await http.get(f"/v1/evac-requests/{r['id']}", headers=dispatcher)).json()
                             for r in created[1:]]
                    if all(r["recommendation"] and r["plan_no"] > before_kill for r in shown):
                        break
                    await asyncio.sleep(0.1)
    finally:
        kill(process)
    assert await db.fetchval("SELECT count(*) FROM evac_requests") == 3
