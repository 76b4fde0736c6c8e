"""Through the service: a call no aircraft of the mission can reach gets a recommendation that
says so, with the reason and the nearest way that would work, as the simulator says it."""

import pytest

from medevac.dispatch.planning.loop import PlannerSettings
from tests.dispatch.conftest import US_WORDING

TIME_LIMIT_S = 1.0


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="optimized", time_limit_s=TIME_LIMIT_S, debounce_s=0.05, gauges_s=0.2)


def planned(request_id: str):
    def match(event: dict) -> bool:
        return event["type"] == "plan.updated" and any(
            r["request_id"] == request_id for r in event["payload"].get("recommendations", []))
    return match


async def test_beyond_every_range_the_recommendation_names_the_refuelling_facility(
        client, token, theatre, radio, sse, db):
    # Short-legged helicopters: Bria → the pickup (10 km) → the Level II is more than one tank,
    # and refuelling at the Level II on the way out does not help either.
    await db.execute("UPDATE assets SET range_km = 15 WHERE mission_id = $1", theatre.mission_id)
    field, dispatcher = await token("field"), await token("dispatcher")
    stream = await sse(client, dispatcher)
    request = await radio(field, US_WORDING)
    await stream.until(planned(request["id"]), timeout=TIME_LIMIT_S + 3)
    read = await client.get(f"/v1/evac-requests/{request['id']}", headers=dispatcher)
    rec = (await read.json())["recommendation"]
    assert rec["asset_id"] is None
    assert len(rec["unreachable"]) == 2  # both patients of the call
    first = rec["unreachable"][0]
    assert first["reason"].startswith("beyond every helicopter's range")
    assert first["nearest_way"].startswith("a forward refuelling point: from Bria Level II")
    assert rec["unservable_in_time"].startswith("no aircraft can reach it: beyond every helicopter's range")

