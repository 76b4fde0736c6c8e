"""A line 6 X call with only unarmed transports: the recommendation pairs an armed escort, approval
tasks both aircraft in one transaction, and neither can be tasked twice."""

import asyncio
import uuid

import pytest

from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.dispatch.evacuations import store
from medevac.dispatch.planning.loop import PlannerSettings
from tests.dispatch.conftest import US_WORDING
from tests.factories import HELO

TIME_LIMIT_S = 1.0
HOT = US_WORDING.replace("LINE 6: N", "LINE 6: X")
HOT_EAST = HOT.replace("16075", "16575")  # another ambush 5 km east
GUNSHIP = dict(HELO, model="Mi-35", litters=0, seats=2, armed=True)


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="optimized", time_limit_s=TIME_LIMIT_S, debounce_s=0.05, gauges_s=0.2)


@pytest.fixture
async def gunship(db, theatre):
    return await assets.create(db, theatre.mission_id,
                               AssetCreate(callsign="HIND-1", base={"lat": 6.60, "lon": 22.10}, **GUNSHIP))


def paired(request_ids: set[str]):
    def match(event: dict) -> bool:
        recs = [r for r in event["payload"].get("recommendations", []) if r["request_id"] in request_ids] \
            if event["type"] == "plan.updated" else []
        return len(recs) == len(request_ids) and all(r["asset_id"] for r in recs)
    return match


async def test_x_call_gets_a_pair_and_approval_tasks_both(client, token, theatre, gunship, radio, sse, db):
    field, dispatcher = await token("field"), await token("dispatcher", user="mmo")
    stream = await sse(client, dispatcher)
    request = await radio(field, HOT)
    await stream.until(paired({request["id"]}), timeout=TIME_LIMIT_S + 3)
    read = await (await client.get(f"/v1/evac-requests/{request['id']}", headers=dispatcher)).json()
    rec = read["recommendation"]
    assert rec["asset_id"] in {str(h.id) for h in theatre.helos}  # an unarmed carrier...
    assert rec["escort_asset_id"] == str(gunship.id) and rec["escort_callsign"] == "HIND-1"  # ...with the gunship
    assert "line 6 X" in rec["escort_reason"]

    approved = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={})
    assert approved.status == 201, await approved.text()
    evac = await approved.json()
    assert (evac["asset_id"], evac["escort_asset_id"]) == (rec["asset_id"], str(gunship.id))
    statuses = dict(await db.fetch("SELECT id::text, status FROM assets WHERE mission_id = $1", theatre.mission_id))
    assert statuses[rec["asset_id"]] == statuses[str(gunship.id)] == "tasked"
    actions = [r["action"] for r in await db.fetch("SELECT action FROM audit_log WHERE action LIKE '%tasked' ORDER BY id")]
    assert actions == ["evacuation.tasked", "asset.escort_tasked"]

    for state in ("airborne", "at_pickup", "loaded"):  # the escort flies home once the carrier lifts off
        moved = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": state}, headers=field)
        assert moved.status == 200, await moved.text()
    assert await db.fetchval("SELECT status FROM assets WHERE id = $1", gunship.id) == "returning"


async def test_two_approvals_wanting_the_one_escort_task_it_once(client, token, theatre, gunship, radio, sse, db):
    field = await token("field")
    officers = [await token("dispatcher", user=f"mmo-{n}") for n in (1, 2)]
    stream = await sse(client, officers[0])
    requests = [await radio(field, text) for text in (HOT, HOT_EAST)]
    await stream.until(paired({r["id"] for r in requests}), timeout=TIME_LIMIT_S + 3)
    recs = [(await (await client.get(f"/v1/evac-requests/{r['id']}", headers=officers[0])).json())["recommendation"]
            for r in requests]
    assert {r["escort_asset_id"] for r in recs} == {str(gunship.id)}  # one escort for both
    responses = await asyncio.gather(*(client.post(f"/v1/evac-requests/{r['id']}/approve", headers=h, json={})
                                       for r, h in zip(requests, officers)))
    assert sorted(r.status for r in responses) == [201, 409], [await r.text() for r in responses]
    loser = await next(r for r in responses if r.status == 409).json()
    assert "tasked" in loser["detail"]
    assert await db.fetchval("SELECT count(*) FROM evacuations WHERE escort_asset_id = $1", gunship.id) == 1
    assert await db.fetchval("SELECT count(*) FROM assets WHERE status = 'tasked'") == 2


async def test_the_escort_is_held_as_the_carrier_is(token, theatre, gunship, radio, db):
    """Neither aircraft of a live pair can be tasked again, as carrier or as escort: the database
    decides (one conditional statement), whatever a recommendation said."""
    field = await token("field")
    first, other = await radio(field, HOT), await radio(field, HOT_EAST)
    helo, spare = theatre.helos

    async def attempt(request, carrier, escort=None):
        casualties = [r["id"] for r in await db.fetch("SELECT id FROM casualties WHERE request_id = $1",
                                                      uuid.UUID(request["id"]))]
        tx = db.transaction()
        await tx.start()
        result = await store.task(
            db, mission_id=theatre.mission_id, request_id=uuid.UUID(request["id"]), asset_id=carrier,
            facility_id=theatre.level_ii.id, casualty_ids=casualties, approval="manual", approved_by="mmo",
            recommended=True, warnings=[], precedence="A", eta_pickup=None, eta_facility=None,
            escort_asset_id=escort)
        await (tx.rollback() if result is None else tx.commit())  # as the approval does: a 409 rolls back
        return result

    assert (await attempt(first, helo.id, gunship.id)).escort_asset_id == gunship.id
    assert await attempt(other, gunship.id) is None  # the escort as a carrier
    assert await attempt(other, spare.id, gunship.id) is None  # the escort again
    assert await attempt(other, spare.id, helo.id) is None  # a busy, unarmed carrier as an escort
    assert await db.fetchval("SELECT status FROM assets WHERE id = $1", spare.id) == "available"
    assert (await attempt(other, spare.id)).asset_id == spare.id
