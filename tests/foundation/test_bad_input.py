"""Bad input of every kind gets a clear 4xx problem+json naming the field, never a 500."""

import uuid

import pytest
from tests import factories

FACILITY = factories.facility(name="Bouar Level II", level=2, location={"lat": 5.94, "lon": 15.60}, beds=15,
                               usable_beds=15)


async def problem(response, status: int) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def fields(body: dict) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": "two"}, "level"),
        ({"level": 7}, "level"),
        ({"location": {"lat": 95.0, "lon": 15.6}}, "location.lat"),
        ({"location": {"lat": 5.9, "lon": -181}}, "location.lon"),
        ({"status": "burning"}, "status"),
        ({"capabilities": ["teleportation"]}, "capabilities.0"),
        ({"beds": -1}, "beds"),
        ({"helipad": "perhaps"}, "helipad"),
        ({"colour": "blue"}, "colour"),
        ({"id": "not-a-uuid"}, "id"),
    ],
)
async def test_invalid_fields_are_named(client, token, db, change, field):
    response = await client.post("/v1/facilities", json=FACILITY | change, headers=await token("dispatcher"))
    body = await problem(response, 422)
    assert field in fields(body)
    assert await db.fetchval("SELECT count(*) FROM facilities") == 0


ASSET = factories.asset(callsign="SLOW-1", role="casevac", base={"lat": 4.4, "lon": 18.5},
                         notice_to_move_min={"day": 5, "night": 5})


async def test_a_vanishing_cruise_speed_is_refused_and_the_coverage_map_still_answers(client, token, db):
    headers = await token("dispatcher")
    for speed in (5e-324, 0.5):  # found by schemathesis: 5e-324 km/h made a leg's seconds infinite
        body = await problem(await client.post("/v1/assets", json=ASSET | {"cruise_kmh": speed}, headers=headers), 422)
        assert fields(body) == {"cruise_kmh"}
    assert await db.fetchval("SELECT count(*) FROM assets") == 0
    assert (await client.post("/v1/assets", json=ASSET | {"cruise_kmh": 1}, headers=headers)).status == 201
    response = await client.get("/v1/coverage", headers=headers)
    assert response.status == 200, await response.text()
    assert (await response.json())["cells"]


async def test_missing_fields_are_named(client, token):
    response = await client.post("/v1/facilities", json={"name": "x"}, headers=await token("dispatcher"))
    assert {"level", "location", "beds", "usable_beds"} <= fields(await problem(response, 422))


async def test_malformed_json_bad_utf8_and_wrong_content_type(client, token):
    headers = await token("dispatcher")
    json_headers = headers | {"Content-Type": "application/json"}
    await problem(await client.post("/v1/facilities", data=b'{"name": ', headers=json_headers), 400)
    await problem(await client.post("/v1/facilities", data=b'{"name": "\xff\xfe"}', headers=json_headers), 400)
    deep = b"[" * 100_000 + b"]" * 100_000
    await problem(await client.post("/v1/facilities", data=deep, headers=json_headers), 400)
    body = await problem(await client.post("/v1/facilities", data=b"name=x",
                                           headers=headers | {"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert fields(body) == {"Content-Type"}


async def test_oversized_bodies_are_refused(aiohttp_client, make_app, token, db):
    client = await aiohttp_client(make_app(max_body_bytes=4096))
    padded = FACILITY | {"name": "x" * 10_000}
    await problem(await client.post("/v1/facilities", json=padded, headers=await token("dispatcher")), 413)
    assert await db.fetchval("SELECT count(*) FROM facilities") == 0


async def test_unknown_and_malformed_ids_are_404(client, token):
    headers = await token("dispatcher")
    await problem(await client.get(f"/v1/facilities/{uuid.uuid4()}", headers=headers), 404)
    await problem(await client.get("/v1/assets/../../etc/passwd", headers=headers), 404)
    await problem(await client.get("/v1/assets/not-an-id", headers=headers), 404)
    await problem(await client.get("/v1/nowhere", headers=headers), 404)


async def test_bad_query_parameters_are_named(client, token):
    headers = await token("dispatcher")
    assert "query.limit" in fields(await problem(await client.get("/v1/assets?limit=0", headers=headers), 422))
    assert "query.status" in fields(await problem(await client.get("/v1/assets?status=lost", headers=headers), 422))
    assert "query.cursor" in fields(await problem(await client.get("/v1/assets?cursor=%%%", headers=headers), 422))


async def test_usable_beds_cannot_exceed_beds_on_update(client, token):
    headers = await token("dispatcher")
    created = await (await client.post("/v1/facilities", json=FACILITY, headers=headers)).json()
    response = await client.patch(f"/v1/facilities/{created['id']}", json={"usable_beds": 16}, headers=headers)
    assert fields(await problem(response, 422)) == {"usable_beds"}


async def test_wrong_method_is_405_problem(client, token):
    await problem(await client.put("/v1/facilities", json={}, headers=await token("dispatcher")), 405)
