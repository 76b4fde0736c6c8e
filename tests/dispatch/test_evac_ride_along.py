"""A second 9-line from a landing zone an aircraft is already tasked to: the recommendation is to
ride along, and approving it boards the casualties onto that live evacuation, once and audited."""

import asyncio
import uuid
from datetime import datetime, timezone

import pytest

from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.dispatch.planning import snapshot
from medevac.dispatch.planning.loop import PlannerSettings
from medevac.dispatch.planning.replan import PLAN_LOCK, mission_lock_key
from tests.dispatch.conftest import US_WORDING
from tests.dispatch.test_evac_escort import GUNSHIP, HOT

TIME_LIMIT_S = 1.0
SECOND = US_WORDING.replace("DUSTOFF 6", "DUSTOFF 7")  # another unit's call from the same grid


def one(text: str, precedence: str) -> str:
    return (text.replace("LINE 3: A1 B1", f"LINE 3: {precedence}1").replace("LINE 5: L2", "LINE 5: L1")
            .replace("LINE 8: C 2", "LINE 8: C 1"))


ONE_URGENT, ONE_SURGICAL = one(US_WORDING, "A"), one(SECOND, "B")


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="optimized", time_limit_s=TIME_LIMIT_S, debounce_s=0.05, gauges_s=0.2)


def planned(request_id: str, *, with_asset: bool = False):
    def match(event: dict) -> bool:
        return event["type"] == "plan.updated" and any(
            r["request_id"] == request_id and (r["asset_id"] or not with_asset)
            for r in event["payload"]["recommendations"])
    return match


def planned_all(request_ids: set[str]):
    """Every one of these requests planned, over as many plans as it takes."""
    seen: set[str] = set()

    def match(event: dict) -> bool:
        if event["type"] == "plan.updated":
            seen.update(r["request_id"] for r in event["payload"]["recommendations"])
        return request_ids <= seen
    return match


async def recommendation(client, headers, request_id: str) -> dict:
    return (await (await client.get(f"/v1/evac-requests/{request_id}", headers=headers)).json())["recommendation"]


@pytest.fixture
def tasked_then_second_call(client, token, radio, sse):
    """The first call approved as recommended, then a second call from the same grid planned:
    (dispatcher headers, field headers, the evacuation, the second request, its recommendation)."""
    async def arrange(*, also: str | None = None):
        field, dispatcher = await token("field"), await token("dispatcher", user="mmo")
        stream = await sse(client, dispatcher)
        first = await radio(field, US_WORDING)
        await stream.until(planned(first["id"], with_asset=True), timeout=TIME_LIMIT_S + 3)
        approved = await client.post(f"/v1/evac-requests/{first['id']}/approve", headers=dispatcher, json={})
        assert approved.status == 201, await approved.text()
        second = await radio(field, SECOND)
        third = await radio(field, also) if also else None
        await stream.until(planned_all({r["id"] for r in (second, third) if r}), timeout=2 * TIME_LIMIT_S + 3)
        arranged = (dispatcher, field, await approved.json(), second, await recommendation(client, dispatcher, second["id"]))
        return arranged + ((third, await recommendation(client, dispatcher, third["id"])),) if third else arranged
    return arrange


async def test_a_second_call_rides_along_and_approval_boards_it(client, theatre, tasked_then_second_call, db):
    dispatcher, field, evac, second, rec = await tasked_then_second_call()
    ride = rec["ride_along"]
    assert rec["asset_id"] is None and ride["evacuation_id"] == evac["id"] and ride["asset_id"] == evac["asset_id"]
    callsign = next(h.callsign for h in theatre.helos if str(h.id) == evac["asset_id"])
    lands = datetime.fromisoformat(ride["at_pickup"]).astimezone(timezone.utc).strftime("%H:%M")
    assert ride["summary"] == (f"Ride along with {callsign} (already tasked to this landing zone, lands {lands}Z, "
                               "to Bria Level II): 2 more aboard")
    assert sorted(ride["patient_ids"]) == sorted(c["id"] for c in second["casualties"])

    joined = await client.post(f"/v1/evac-requests/{second['id']}/approve", headers=dispatcher, json={})
    assert joined.status == 201, await joined.text()
    after = await joined.json()
    assert after["id"] == evac["id"] and len(after["casualty_ids"]) == 4 and after["beds_reserved"] == 4
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 1
    assert await db.fetchval("SELECT status FROM evac_requests WHERE id = $1", uuid.UUID(second["id"])) == "tasked"
    cancel = await client.post(f"/v1/evac-requests/{second['id']}/cancel", headers=dispatcher,
                               json={"reason": "duplicate"})
    assert cancel.status == 409 and (await cancel.json())["code"] == "live_sortie"  # its patients are aboard
    audit = await db.fetchrow("SELECT entity_id, after FROM audit_log WHERE action = 'evacuation.joined'")
    assert str(audit["entity_id"]) == evac["id"] and audit["after"]["joined"]["request_id"] == second["id"]

    for state in ("airborne", "at_pickup", "loaded", "handed_over"):  # the joined casualties move with it
        moved = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": state}, headers=field)
        assert moved.status == 200, await moved.text()
        if state == "loaded":
            assert await db.fetchval("SELECT array_agg(DISTINCT status) FROM casualties") == ["onboard"]
    assert await db.fetchval("SELECT array_agg(DISTINCT status) FROM evac_requests") == ["handed_over"]


MEANWHILE = {  # what happens between the officer reading the card and approving it
    "at_pickup": ("the aircraft reached the landing zone", "evacuation_moved"),
    "aborted": ("the sortie was aborted", "evacuation_moved"),
    "no_room": ("the aircraft was reconfigured with two litters", "no_room"),
}


@pytest.mark.parametrize("meanwhile", MEANWHILE)
async def test_approving_a_ride_along_too_late_is_a_409(meanwhile, client, theatre, tasked_then_second_call, db):
    dispatcher, field, evac, second, rec = await tasked_then_second_call()
    ride = rec["ride_along"]
    # The planner is held back (its per-mission lock), so the card still shows the ride along.
    await db.execute("SELECT pg_advisory_lock($1, $2)", PLAN_LOCK, mission_lock_key(theatre.mission_id))
    try:
        if meanwhile == "no_room":
            await db.execute("UPDATE assets SET litters = 2, seats = 0 WHERE id = $1", uuid.UUID(evac["asset_id"]))
        for state in {"at_pickup": ["airborne", "at_pickup"], "aborted": ["aborted"]}.get(meanwhile, []):
            moved = await client.post(f"/v1/evacuations/{evac['id']}/transitions", headers=field,
                                      json={"to": state, "reason": "weather"})
            assert moved.status == 200, await moved.text()
        shown = {"asset_id": ride["asset_id"], "facility_id": ride["facility_id"], "casualty_ids": ride["patient_ids"]}
        refused = await client.post(f"/v1/evac-requests/{second['id']}/approve", headers=dispatcher,
                                    json={"shown": shown})
    finally:
        await db.execute("SELECT pg_advisory_unlock($1, $2)", PLAN_LOCK, mission_lock_key(theatre.mission_id))
    assert refused.status == 409, MEANWHILE[meanwhile][0]
    problem = await refused.json()
    assert problem["code"] == MEANWHILE[meanwhile][1] and "nobody was added aboard" in problem["detail"]
    assert problem["current"]["evacuation"]["id"] == evac["id"]
    assert await db.fetchval("SELECT array_agg(DISTINCT status) FROM casualties WHERE request_id = $1",
                             uuid.UUID(second["id"])) == ["waiting"]
    assert await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'evacuation.joined'") == 0


async def test_a_surgical_case_does_not_ride_to_a_level_one(client, token, theatre, radio, sse, db):
    field, dispatcher = await token("field"), await token("dispatcher", user="mmo")
    stream = await sse(client, dispatcher)
    first = await radio(field, ONE_URGENT)
    carrier = theatre.helos[0]
    tasked = await client.post(f"/v1/evac-requests/{first['id']}/approve", headers=dispatcher, json={
        "asset_id": str(carrier.id), "facility_id": str(theatre.level_i.id), "accept_warnings": True})
    assert tasked.status == 201, await tasked.text()
    snap, _ = await snapshot.load(db, theatre.mission_id, datetime.now(timezone.utc))
    (underway,) = snap.underway  # the sortie a later call could join...
    assert (underway.asset_id, underway.facility_id) == (str(carrier.id), str(theatre.level_i.id))
    assert (underway.onboard_litter, underway.onboard_ambulatory, underway.landings[0].covered) == (1, 0, False)

    second = await radio(field, ONE_SURGICAL)  # ...but its Level I has no surgeon
    await stream.until(planned(second["id"], with_asset=True), timeout=TIME_LIMIT_S + 3)
    rec = await recommendation(client, dispatcher, second["id"])
    assert rec["ride_along"] is None and rec["asset_id"] == str(theatre.helos[1].id)
    assert rec["facility_id"] == str(theatre.level_ii.id)


async def test_two_ride_alongs_wanting_the_last_room_board_once(client, theatre, tasked_then_second_call, token, db):
    dispatcher, field, evac, second, rec, (third, rec3) = await tasked_then_second_call(
        also=SECOND.replace("DUSTOFF 7", "DUSTOFF 8"))
    assert rec["ride_along"] and rec3["ride_along"]  # room for both when planned
    other = await token("dispatcher", user="mmo-2")
    await db.execute("SELECT pg_advisory_lock($1, $2)", PLAN_LOCK, mission_lock_key(theatre.mission_id))
    try:  # the aircraft is reconfigured: four litters, room for one more pair
        await db.execute("UPDATE assets SET litters = 4, seats = 0 WHERE id = $1", uuid.UUID(evac["asset_id"]))
        responses = await asyncio.gather(*(
            client.post(f"/v1/evac-requests/{r['id']}/approve", headers=h, json={})
            for r, h in ((second, dispatcher), (third, other))))
    finally:
        await db.execute("SELECT pg_advisory_unlock($1, $2)", PLAN_LOCK, mission_lock_key(theatre.mission_id))
    assert sorted(r.status for r in responses) == [201, 409], [await r.text() for r in responses]
    assert (await next(r for r in responses if r.status == 409).json())["code"] == "no_room"
    assert await db.fetchval("SELECT count(*) FROM casualties WHERE evacuation_id = $1", uuid.UUID(evac["id"])) == 4
    assert await db.fetchval("SELECT beds_reserved FROM evacuations WHERE id = $1", uuid.UUID(evac["id"])) == 4


async def test_a_reassignment_carries_those_who_rode_along(client, theatre, tasked_then_second_call, db):
    dispatcher, field, evac, second, rec = await tasked_then_second_call()
    joined = await client.post(f"/v1/evac-requests/{second['id']}/approve", headers=dispatcher, json={})
    assert joined.status == 201, await joined.text()
    spare = next(h for h in theatre.helos if str(h.id) != evac["asset_id"])
    moved = await client.post(f"/v1/evacuations/{evac['id']}/reassign", headers=dispatcher, json={
        "asset_id": str(spare.id), "facility_id": str(theatre.level_ii.id), "accept_warnings": True})
    assert moved.status == 201, await moved.text()
    replacement = await moved.json()
    assert replacement["asset_id"] == str(spare.id) and len(replacement["casualty_ids"]) == 4
    assert replacement["beds_reserved"] == 4
    assert await db.fetchval("SELECT array_agg(DISTINCT status) FROM evac_requests") == ["tasked"]


async def test_a_line_6_x_call_rides_along_under_the_escort(client, token, theatre, radio, sse, db):
    gunship = await assets.create(db, theatre.mission_id,
                                  AssetCreate(callsign="HIND-1", base={"lat": 6.60, "lon": 22.10}, **GUNSHIP))
    field, dispatcher = await token("field"), await token("dispatcher", user="mmo")
    stream = await sse(client, dispatcher)
    first = await radio(field, HOT)
    await stream.until(planned(first["id"], with_asset=True), timeout=TIME_LIMIT_S + 3)
    paired = await client.post(f"/v1/evac-requests/{first['id']}/approve", headers=dispatcher, json={})
    assert paired.status == 201 and (await paired.json())["escort_asset_id"] == str(gunship.id)
    second = await radio(field, HOT.replace("DUSTOFF 6", "DUSTOFF 7"))
    await stream.until(planned(second["id"]), timeout=TIME_LIMIT_S + 3)
    ride = (await recommendation(client, dispatcher, second["id"]))["ride_along"]
    assert ride and ride["evacuation_id"] == (await paired.json())["id"]  # the escort covers the zone


async def test_auto_approval_puts_an_urgent_ride_along_aboard(client, token, theatre, radio, sse, db):
    await db.execute("UPDATE missions SET approval = 'auto' WHERE id = $1", theatre.mission_id)
    field, dispatcher = await token("field"), await token("dispatcher")
    stream = await sse(client, dispatcher)
    first = await radio(field, ONE_URGENT)
    tasked = await stream.until(lambda e: e["type"] == "evacuation.tasked", timeout=TIME_LIMIT_S + 4)
    assert tasked["payload"]["request_id"] == first["id"]
    second = await radio(field, ONE_SURGICAL)  # the same grid, while the aircraft is on its way
    joined = await stream.until(lambda e: e["type"] == "evacuation.joined", timeout=2 * TIME_LIMIT_S + 4)
    assert joined["payload"]["id"] == tasked["payload"]["id"] and len(joined["payload"]["casualty_ids"]) == 2
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 1
    assert await db.fetchval("SELECT status FROM evac_requests WHERE id = $1", uuid.UUID(second["id"])) == "tasked"
    assert await db.fetchval("SELECT actor FROM audit_log WHERE action = 'evacuation.joined'") == "system"
