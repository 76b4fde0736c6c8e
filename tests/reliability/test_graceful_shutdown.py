"""SIGTERM drains a replica: in-flight work finishes, new work is refused, live streams end with
a reconnect hint (SSE `reconnect` event, websocket close 1012), and the process exits 0 in time."""

import asyncio
import json
import time

import aiohttp
import pytest

from tests import factories
from tests.conftest import SseReader
from tests.reliability import theatre
from tests.reliability.test_process_faults import lock_assets, radio, until, _waits_on_lock

GRACE_S = 10


async def open_socket(session: aiohttp.ClientSession, url: str, headers: dict):
    ws = await session.ws_connect(url, headers=headers)
    welcome = json.loads((await ws.receive(timeout=10)).data)
    assert welcome["type"] == "welcome"
    return ws


async def consult_parties(http: aiohttp.ClientSession, db, mission_id) -> tuple[dict, dict, str]:
    """A specialist on call and a clinician's consult: (clinician headers, specialist headers, consult id)."""
    admin = await factories.token(db, "admin", mission_id)
    clinician = await factories.token(db, "clinician", mission_id, user="medic-1")
    specialist = await factories.token(db, "specialist", mission_id, user="dr-ortho")
    async with http.post("/v1/specialists", headers=admin, json=factories.specialist("dr-ortho", load_limit=2)) as r:
        assert r.status == 201, await r.text()
    async with http.post("/v1/consults", headers=clinician, json=factories.consult()) as r:
        assert r.status == 201, await r.text()
        consult = await r.json()
    return clinician, specialist, consult["id"]


async def test_sigterm_drains_in_flight_work_and_hints_every_live_client_to_reconnect(database_url, db, replicas):
    laydown = await theatre.seed(db, helicopters=1)
    field = await factories.token(db, "field", laydown.mission_id)
    dispatcher = await factories.token(db, "dispatcher", laydown.mission_id)
    replica = await replicas(database_url, MEDEVAC_SHUTDOWN_GRACE_S=str(GRACE_S),
                             MEDEVAC_PLANNER_TIME_LIMIT_S="0.5")
    async with aiohttp.ClientSession(replica.url) as http, aiohttp.ClientSession(replica.url) as live:
        request = await radio(http, field, "DRAIN")
        clinician, specialist, consult_id = await consult_parties(http, db, laydown.mission_id)
        chat = await open_socket(live, f"/v1/consults/{consult_id}/ws", clinician)
        inbox = await open_socket(live, "/v1/telemed/inbox/ws", specialist)
        stream = SseReader(await live.get("/v1/events", headers=dispatcher))
        async with http.post("/v1/assets", headers=dispatcher, json={  # the stream is following live
                "callsign": "LIVE-1", "kind": "ground", "role": "casevac", "base": {"lat": 6.5, "lon": 22.0},
                "cruise_kmh": 40, "range_km": 300, "litters": 2, "seats": 2,
                "notice_to_move_min": {"day": 5, "night": 5}}) as r:
            assert r.status == 201
        await stream.until(lambda e: e["type"] == "asset.created")

        # A slow approval in flight: its tasking waits on a row another transaction holds.
        holder = await lock_assets(database_url, laydown.helos)
        slow = asyncio.create_task(http.post(
            f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher,
            json={"asset_id": str(laydown.helos[0]), "facility_id": str(laydown.level_ii), "accept_warnings": True}))
        await until(lambda: _waits_on_lock(db, replica))
        replica.terminate()
        terminated_at = time.monotonic()

        hint = await stream.until(lambda e: e["_event"] == "reconnect", timeout=GRACE_S)  # after what was queued
        assert hint["reconnect_after_ms"] > 0
        for ws in (chat, inbox):
            closing = await ws.receive(timeout=GRACE_S)
            assert (closing.type, closing.data) == (aiohttp.WSMsgType.CLOSE, 1012), closing
            assert closing.extra.startswith("reconnect")
        with pytest.raises(aiohttp.ClientConnectionError):  # new work is refused
            async with aiohttp.ClientSession(replica.url) as fresh:
                await fresh.get("/healthz")
        assert replica.process.poll() is None and not slow.done()  # still draining the approval

        await holder.execute("ROLLBACK")
        await holder.close()
        response = await slow
        assert response.status == 201, await response.text()
        evacuation = await response.json()
    code = await replica.exit_code(within_s=GRACE_S)
    drained_in = time.monotonic() - terminated_at
    assert code == 0
    assert await db.fetchval("SELECT state FROM evacuations WHERE id = $1::uuid", evacuation["id"]) == "tasked"
    print({"exit_code": code, "sigterm_to_exit_s": round(drained_in, 2)})
