"""The officer's own unarmed aircraft for a line 6 X pickup: the service pairs the armed escort
that keeps it waiting least and tasks both in one transaction, refuses naming the field when no
escort can cover, or flies it without one when the officer says so, in the audit log."""

import asyncio
import uuid

import pytest

from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from tests.dispatch.test_evac_escort import GUNSHIP, HOT, HOT_EAST
from tests.factories import HELO


@pytest.fixture
async def gunships(db, theatre):
    """One gunship beside the pickup, one farther out: the near one keeps a carrier waiting least."""
    return [await assets.create(db, theatre.mission_id, AssetCreate(callsign=name, base=base, **GUNSHIP))
            for name, base in (("HIND-1", {"lat": 6.60, "lon": 22.10}), ("HIND-2", {"lat": 7.30, "lon": 22.90}))]


async def choose(client, headers, request, helo, facility, **extra):
    return await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=headers, json={
        "asset_id": str(helo.id), "facility_id": str(facility.id), "accept_warnings": True, **extra})


async def audited(db, mission_id) -> list[str]:
    return [r["action"] for r in await db.fetch(
        "SELECT action FROM audit_log WHERE mission_id = $1 AND (action LIKE 'evacuation.%' OR action LIKE 'asset.%') ORDER BY id",
        mission_id)]


async def test_the_officers_unarmed_choice_is_tasked_with_the_nearest_escort(
        client, token, theatre, gunships, radio, db):
    field, officer = await token("field"), await token("dispatcher", user="mmo")
    request = await radio(field, HOT)
    helo = theatre.helos[1]
    response = await choose(client, officer, request, helo, theatre.level_ii)
    assert response.status == 201, await response.text()
    evac = await response.json()
    assert (evac["asset_id"], evac["escort_asset_id"]) == (str(helo.id), str(gunships[0].id))
    assert not any(w["code"] == "unescorted" for w in evac["warnings"])
    statuses = dict(await db.fetch("SELECT callsign, status FROM assets WHERE mission_id = $1", theatre.mission_id))
    assert (statuses[helo.callsign], statuses["HIND-1"], statuses["HIND-2"]) == ("tasked", "tasked", "available")
    assert await audited(db, theatre.mission_id) == ["evacuation.tasked", "asset.escort_tasked"]


async def test_two_officers_wanting_the_one_free_escort_task_it_once(client, token, theatre, gunships, radio, db):
    await db.execute("UPDATE assets SET status = 'maintenance' WHERE id = $1", gunships[1].id)
    field = await token("field")
    officers = [await token("dispatcher", user=f"mmo-{n}") for n in (1, 2)]
    requests = [await radio(field, text) for text in (HOT, HOT_EAST)]
    responses = await asyncio.gather(*(choose(client, h, r, helo, theatre.level_ii)
                                       for r, h, helo in zip(requests, officers, theatre.helos)))
    statuses = sorted(r.status for r in responses)
    assert statuses == [201, 409] or statuses == [201, 422], [await r.text() for r in responses]
    loser = await next(r for r in responses if r.status != 201).json()
    # Either the other approval won the race for the escort (409, nothing tasked) or it came
    # after it and found no escort free (422 naming the field): never two pairs on one gunship.
    assert "tasked" in loser["detail"] or "without_escort" in {e["field"] for e in loser["errors"]}
    assert await db.fetchval("SELECT count(*) FROM evacuations WHERE escort_asset_id = $1", gunships[0].id) == 1
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 1


async def test_no_escort_can_cover_it_refused_naming_the_field_then_flown_without_one_audited(
        client, token, theatre, radio, db):
    field, officer = await token("field"), await token("dispatcher", user="mmo")
    request = await radio(field, HOT)
    helo = theatre.helos[0]
    refused = await choose(client, officer, request, helo, theatre.level_ii)
    assert refused.status == 422, await refused.text()
    assert refused.content_type == "application/problem+json"
    problem = await refused.json()
    assert {e["field"] for e in problem["errors"]} == {"asset_id", "without_escort"}
    assert "unarmed and line 6 says X" in problem["detail"] and "escort" in problem["detail"]
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 0
    assert await db.fetchval("SELECT status FROM assets WHERE id = $1", helo.id) == "available"

    flown = await choose(client, officer, request, helo, theatre.level_ii, without_escort=True)
    assert flown.status == 201, await flown.text()
    evac = await flown.json()
    assert evac["escort_asset_id"] is None
    assert {"code": "unescorted", "message": "line 6 X pickup flown without an armed escort, by the officer's "
            "decision"} in evac["warnings"]
    assert await audited(db, theatre.mission_id) == ["evacuation.tasked", "evacuation.unescorted"]
    who = await db.fetchval("SELECT actor FROM audit_log WHERE action = 'evacuation.unescorted'")
    assert who == "mmo"


async def test_reassigning_to_an_unarmed_aircraft_pairs_an_escort(client, token, theatre, gunships, radio, db):
    field, officer = await token("field"), await token("dispatcher", user="mmo")
    request = await radio(field, HOT)
    first, other = theatre.helos
    evac = await (await choose(client, officer, request, first, theatre.level_ii)).json()
    moved = await client.post(f"/v1/evacuations/{evac['id']}/reassign", headers=officer, json={
        "asset_id": str(other.id), "facility_id": str(theatre.level_ii.id), "accept_warnings": True})
    assert moved.status == 201, await moved.text()
    replacement = await moved.json()
    assert replacement["asset_id"] == str(other.id)
    # The abort freed the near gunship in the same transaction: it escorts the new carrier.
    assert replacement["escort_asset_id"] == evac["escort_asset_id"] == str(gunships[0].id)
    assert await db.fetchval("SELECT state FROM evacuations WHERE id = $1", uuid.UUID(evac["id"])) == "aborted"
    statuses = dict(await db.fetch("SELECT callsign, status FROM assets WHERE mission_id = $1", theatre.mission_id))
    assert (statuses[first.callsign], statuses[other.callsign], statuses["HIND-1"]) == (
        "available", "tasked", "tasked")


async def test_an_armed_or_unhostile_choice_is_not_paired(client, token, theatre, radio, db):
    field, officer = await token("field"), await token("dispatcher", user="mmo")
    armed = await assets.create(db, theatre.mission_id, AssetCreate(
        callsign="ARMED-17", base={"lat": 6.52, "lon": 21.98}, **{**HELO, "armed": True}))
    request = await radio(field, HOT)
    response = await choose(client, officer, request, armed, theatre.level_ii)
    assert response.status == 201, await response.text()
    assert (await response.json())["escort_asset_id"] is None
