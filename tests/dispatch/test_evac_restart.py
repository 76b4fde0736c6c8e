"""A SIGKILLed service restarts with every accepted request and evacuation intact."""

import asyncio

import aiohttp

from tests.replicas import Replica

SETTINGS = {"MEDEVAC_PLANNER_TIME_LIMIT_S": "0.5"}


async def test_killed_service_resumes_with_requests_and_evacuations(database_url, token, theatre, wordings, db,
                                                                  tmp_path):
    field, dispatcher = await token("field", user="rto"), await token("dispatcher")
    first = await Replica(database_url, tmp_path / "first.log", **SETTINGS).start()
    try:
        async with aiohttp.ClientSession(first.url) as http:
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
        first.kill()
    before_kill = await db.fetchval("SELECT plan_no FROM plans") or 0

    restarted = await Replica(database_url, tmp_path / "restarted.log", **SETTINGS).start()
    try:
        async with aiohttp.ClientSession(restarted.url) as http:
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
        restarted.kill()
    assert await db.fetchval("SELECT count(*) FROM evac_requests") == 3
