"""Through the service: a call no aircraft of the mission can reach gets a recommendation that
says so, with the reason and the nearest way that would work, as the simulator says it; an
aircraft left idle although it could launch sooner is named, with why and at what cost."""

import pytest

from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.dispatch.planning.loop import PlannerSettings
from tests.dispatch.conftest import US_WORDING
from tests.factories import HELO

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



async def test_an_idle_aircraft_that_could_launch_sooner_is_named_with_why_and_the_cost(
        client, token, theatre, radio, sse, db):
    # Five minutes' notice but slow and 95 km out: it could be wheels up first, it would hand over last.
    await assets.create(db, theatre.mission_id, AssetCreate(
        callsign="SLOW-1", base={"lat": 7.45, "lon": 22.05},
        **{**HELO, "cruise_kmh": 150, "notice_to_move_min": {"day": 5, "night": 5}}))
    field, dispatcher = await token("field"), await token("dispatcher")
    stream = await sse(client, dispatcher)
    request = await radio(field, US_WORDING)
    await stream.until(planned(request["id"]), timeout=TIME_LIMIT_S + 3)
    rec = (await (await client.get(f"/v1/evac-requests/{request['id']}", headers=dispatcher)).json())["recommendation"]
    assert rec["callsign"].startswith("UNO-") and rec["unreachable"] == []
    idle = rec["idle"]
    assert idle["callsign"] == "SLOW-1"
    assert idle["wheels_up"] < rec["wheels_up"] and idle["at_facility"] > rec["at_facility"]
    assert idle["delay_min"] < 0 and idle["survivors_cost"] <= 0
    assert idle["reason"].startswith(f"better served later by {rec['callsign']}")
