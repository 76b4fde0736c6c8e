"""Approve tasks what the console showed: a patient group of the recommendation, as shown, or
nothing (409 `recommendation_changed`) when the plan has moved on since."""

import asyncio

import pytest

from medevac.dispatch.planning.loop import PlannerSettings


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="closest", time_limit_s=0.5, debounce_s=0.05)


def twenty_litters() -> dict:
    return {"location": {"lat": 6.9, "lon": 21.2}, "radio": {"call_sign": "MASCAL 1"},
            "precedence": {"A": 20}, "special_equipment": ["A"], "patients_by_type": {"litter": 20, "ambulatory": 0}}


async def planned(client, headers, request_id: str) -> dict:
    async with asyncio.timeout(10):
        while True:
            read = await (await client.get(f"/v1/evac-requests/{request_id}", headers=headers)).json()
            if read["recommendation"] and read["recommendation"]["asset_id"]:
                return read
            await asyncio.sleep(0.05)  # polling the API for the planner's result, not waiting on time


def first_trips(read: dict) -> dict[str, list[str]]:
    """Each aircraft's first trip (the plan may send it back for more): whom it takes."""
    trips: dict[tuple, list[str]] = {}
    for p in read["recommendation"]["patients"]:
        if p["asset_id"]:
            trips.setdefault((p["asset_id"], p["at_facility"]), []).append(p["patient_id"])
    return {asset: trips[(asset, at)] for asset, at in sorted(trips, reverse=True)}  # the earliest trip wins


async def test_each_aircraft_group_is_approved_as_shown_and_a_stale_card_tasks_nothing(client, token, theatre, db):
    field, dispatcher = await token("field"), await token("dispatcher")
    created = await client.post("/v1/evac-requests", headers=field, json=twenty_litters())
    assert created.status == 201, await created.text()
    request = await created.json()
    read = await planned(client, dispatcher, request["id"])
    by_asset = first_trips(read)
    assert len(by_asset) == 2 and all(0 < len(ids) <= 6 for ids in by_asset.values())  # six litters a trip

    second = next(a for a in by_asset if a != read["recommendation"]["asset_id"])
    facility = next(p["facility_id"] for p in read["recommendation"]["patients"] if p["asset_id"] == second)
    stale = {"shown": {"asset_id": second, "facility_id": facility, "casualty_ids": by_asset[second][:1]}}
    refused = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json=stale)
    assert refused.status == 409
    assert (await refused.json())["code"] == "recommendation_changed"
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 0

    shown = {"shown": {"asset_id": second, "facility_id": facility, "casualty_ids": by_asset[second]}}
    approved = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json=shown)
    assert approved.status == 201, await approved.text()
    evacuation = await approved.json()
    assert evacuation["asset_id"] == second and sorted(evacuation["casualty_ids"]) == sorted(by_asset[second])
    assert await db.fetchval("SELECT count(*) FROM casualties WHERE status = 'waiting'") == 20 - len(by_asset[second])
