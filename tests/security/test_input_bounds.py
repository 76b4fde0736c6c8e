"""Times and numbers are bounded where they enter: a year-0001 time or a 2^63 standard is a 422
naming the field, from every route; and a value already stored out of bounds (behind the API's
back) costs one shift or one figure, never a specialty's consults or the monitoring."""

import json
import time
import uuid

import pytest

from medevac.keys import pool_key
from medevac.monitoring.collector import collector_key
from tests.factories import MIST

from .test_hostile_input import counts
from .world import RADIO

ANCIENT = "0001-01-01T00:00:00Z"
FAR = "2100-01-01T00:00:00Z"
HUGE = 2**63


def fields(body: dict) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}


async def refused(response, field: str) -> None:
    body = await response.json()
    assert response.status == 422 and response.content_type == "application/problem+json", body
    assert any(field in f for f in fields(body)), body


async def test_times_outside_1970_to_2100_are_refused_naming_the_field(client, world, db):
    h, before = world.headers, await counts(db)
    version = (await (await client.get(world.path("/v1/assets/{asset_id}"), headers=h["admin"])).json())["version"]
    cases = [
        ("POST", "/v1/evac-requests", h["field"], {"text": RADIO, "injured_at": ANCIENT}, "injured_at"),
        ("POST", "/v1/evac-requests", h["field"], {"text": RADIO, "mist_at": [
            {"patient": "x", "time_of_injury": ANCIENT}]}, "time_of_injury"),
        ("PATCH", world.path("/v1/evac-requests/{request_id}"), h["field"], {"injured_at": FAR}, "injured_at"),
        ("POST", world.path("/v1/specialists/{specialist_id}/windows"), h["dispatcher"],
         {"starts_at": ANCIENT, "ends_at": "2030-01-01T00:00:00Z"}, "starts_at"),
        ("POST", "/v1/specialists", h["admin"], {"user_id": "dr-x", "name": "Dr X", "specialty": "burns",
                                                 "windows": [{"starts_at": "2026-01-01T00:00:00Z",
                                                              "ends_at": "9999-01-01T00:00:00Z"}]}, "ends_at"),
        ("PATCH", world.path("/v1/assets/{asset_id}"), h["dispatcher"] | {"If-Match": f'"{version}"'},
         {"position": {"lat": 6.5, "lon": 21.9}, "position_at": ANCIENT}, "position_at"),
        ("POST", "/v1/consults", h["clinician"], {"specialty": "burns", "urgency": "routine", "question": "?",
                                                  "summary": MIST | {"time_of_injury": ANCIENT}}, "time_of_injury"),
    ]
    for method, path, headers, body, field in cases:
        await refused(await client.request(method, path, json=body, headers=headers), field)
    report = await client.get("/v1/reports/response-times", params={"from": ANCIENT}, headers=h["observer"])
    await refused(report, "from")
    assert await counts(db) == before


@pytest.mark.parametrize("standard", [2**31, HUGE, 0, 10**30])
async def test_time_standards_beyond_a_week_are_refused_naming_the_standard(client, token, world, standard):
    hq = await token("admin", mission_id=None)
    created = await client.post("/v1/missions", headers=hq, json={"name": f"M {uuid.uuid4().hex[:6]}",
                                                                  "time_standards": {"A": standard}})
    await refused(created, "time_standards.A")
    patched = await client.patch(world.path("/v1/missions/{mission_id}"), headers=world.headers["admin"],
                                 json={"time_standards": {"B": standard}})
    await refused(patched, "time_standards.B")


async def test_a_stored_standard_out_of_range_breaks_neither_the_report_nor_database_up(client, token, world, db):
    await db.execute("""UPDATE missions SET time_standards = time_standards
                            || jsonb_build_object('A', $2::numeric, 'resuscitation', 2147483648)
                        WHERE id = $1""", world.mission_id, HUGE)
    hq = await token("observer", mission_id=None)
    report = await client.get("/v1/reports/response-times", headers=hq)
    assert report.status == 200, await report.text()
    started = time.time()
    await client.server.app[collector_key].refresh(client.server.app[pool_key])  # a refresh after the change
    metrics = await (await client.get("/metrics")).text()
    assert "medevac_database_up 1.0" in metrics
    [stamp] = [line for line in metrics.splitlines() if line.startswith("medevac_monitoring_refresh_timestamp")]
    assert float(stamp.split()[1]) >= started  # the figures were read, not kept from before


async def test_a_stored_window_in_year_0001_costs_that_shift_not_the_specialty(client, world, db):
    await db.execute("UPDATE specialist_windows SET starts_at = '-infinity' WHERE id = $1",
                     uuid.UUID(world.ids["window_id"]))
    consult = await client.post("/v1/consults", headers=world.headers["clinician"], json={
        "specialty": "orthopaedics", "urgency": "routine", "question": "Reduce or evacuate?", "summary": MIST})
    assert consult.status == 201, await consult.text()
    shown = await client.get(world.path("/v1/specialists/{specialist_id}"), headers=world.headers["admin"])
    assert shown.status == 200, await shown.text()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
async def test_numbers_json_cannot_hold_are_refused_before_they_are_stored(client, world, db, number):
    before = await counts(db)
    radio = json.dumps(RADIO)
    cases = [
        ("/v1/evac-requests", world.headers["field"],
         f'{{"text": {radio}, "mist_at": [{{"patient": "x", "vitals": {{"hr": {number}}}}}]}}'),
        ("/v1/consults", world.headers["clinician"], f'{{"specialty": "burns", "urgency": "routine", "question": "?", '
                                                     f'"summary": {{"mechanism": "x"}}, "language": {number}}}'),
    ]
    for path, headers, body in cases:
        response = await client.post(path, data=body, headers=headers | {"Content-Type": "application/json"})
        assert response.status == 400 and response.content_type == "application/problem+json"
        problem = await response.json()
        assert fields(problem) == {"body"} and "number" in problem["detail"], problem
    assert await counts(db) == before
