"""A stored row the planner cannot use costs that one request its recommendation, with the reason
shown; the mission keeps its planner, its coverage map and its approvals."""

import uuid

import pytest

from medevac.dispatch.planning.loop import PlannerSettings
from medevac.keys import pool_key
from medevac.monitoring.collector import collector_key

from .test_planner_service import recommends

TIME_LIMIT_S = 1.0


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="optimized", time_limit_s=TIME_LIMIT_S, debounce_s=0.05)


async def poison(db, request_id: str) -> None:
    """What a year-0001 injury time became once stored: -infinity, read back without a time zone."""
    await db.execute("UPDATE evac_requests SET injured_at = '-infinity' WHERE id = $1", uuid.UUID(request_id))
    await db.execute("UPDATE casualties SET injured_at = '-infinity' WHERE request_id = $1", uuid.UUID(request_id))


async def test_a_poisoned_request_loses_its_recommendation_and_the_next_request_still_gets_a_plan(
        client, token, theatre, radio, wordings, sse, db):
    field, dispatcher = await token("field"), await token("dispatcher")
    stream = await sse(client, dispatcher)
    poisoned = await radio(field, wordings["us"])
    await stream.until(recommends(poisoned["id"]), timeout=TIME_LIMIT_S + 5)
    await poison(db, poisoned["id"])

    healthy = await radio(field, wordings["labelled"])
    planned = await stream.until(recommends(healthy["id"]), timeout=TIME_LIMIT_S + 5)
    assert poisoned["id"] not in {r["request_id"] for r in planned["payload"]["recommendations"] if r["asset_id"]}

    read = await client.get(f"/v1/evac-requests/{poisoned['id']}", headers=dispatcher)
    assert read.status == 200, await read.text()
    shown = (await read.json())["recommendation"]
    assert shown["asset_id"] is None and "injury time" in shown["unservable_in_time"]

    for mode in ("day", "night"):
        coverage = await client.get("/v1/coverage", params={"mode": mode}, headers=dispatcher)
        assert coverage.status == 200, await coverage.text()

    approved = await client.post(f"/v1/evac-requests/{healthy['id']}/approve", json={}, headers=dispatcher)
    assert approved.status == 201, await approved.text()
    refused = await client.post(f"/v1/evac-requests/{poisoned['id']}/approve", json={}, headers=dispatcher)
    assert refused.status == 409 and "injury time" in (await refused.json())["detail"]
    [free] = [h for h in theatre.helos if str(h.id) != (await approved.json())["asset_id"]]
    by_hand = await client.post(f"/v1/evac-requests/{poisoned['id']}/approve", headers=dispatcher, json={
        "asset_id": str(free.id), "facility_id": str(theatre.level_ii.id), "accept_warnings": True})
    assert by_hand.status == 201, await by_hand.text()  # the dispatcher can still send an aircraft
    evacuation = (await by_hand.json())["id"]
    for state in ("airborne", "at_pickup", "loaded", "handed_over"):
        moved = await client.post(f"/v1/evacuations/{evacuation}/transitions", json={"to": state}, headers=field)
        assert moved.status == 200, await moved.text()
    assert (await moved.json())["elapsed_s"]["injury_to_care"] is not None  # from the call: a lower bound


async def test_monitoring_and_the_report_survive_a_poisoned_injury_time(client, token, theatre, radio, wordings, db):
    poisoned = await radio(await token("field"), wordings["us"])
    await poison(db, poisoned["id"])
    await client.server.app[collector_key].refresh(client.server.app[pool_key])
    metrics = await (await client.get("/metrics")).text()
    assert "medevac_database_up 1.0" in metrics
    report = await client.get("/v1/reports/response-times", headers=await token("observer", mission_id=None))
    assert report.status == 200, await report.text()
