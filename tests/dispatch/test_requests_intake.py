"""9-line intake over HTTP: radio text in several wordings, structured JSON, line-level errors."""

import pytest


@pytest.mark.parametrize("wording, records", [
    ("us", [("A", "litter"), ("B", "litter")]),
    ("nato", [("A", "litter"), ("C", "ambulatory")]),
    ("labelled", [("A", "litter")]),
])
async def test_radio_text_becomes_casualty_records(client, token, theatre, radio, wordings, wording, records):
    field = await token("field")
    created = await radio(field, wordings[wording])
    assert created["source"] == "radio" and created["status"] == "open"
    assert created["raw_text"] == wordings[wording]
    assert [(c["precedence"], c["patient_type"]) for c in created["casualties"]] == records
    assert all(c["status"] == "waiting" for c in created["casualties"])
    assert created["pickup"]["lat"] == pytest.approx(6.6, abs=1e-3)
    read = await client.get(f"/v1/evac-requests/{created['id']}", headers=field)
    assert (await read.json())["casualties"] == created["casualties"]


async def test_structured_json_with_mist_at_and_text_envelope(client, token, theatre, wordings):
    dispatcher = await token("dispatcher")
    body = {
        "location": {"lat": 6.6, "lon": 22.05}, "radio": {"call_sign": "WARHORSE 21"},
        "precedence": {"B": 1}, "special_equipment": ["A"], "patients_by_type": {"litter": 1},
        "mist_at": [{"mechanism": "IED", "injuries": "traumatic amputation left leg", "signs": "HR 130",
                     "treatment": [{"given": "tourniquet", "at": "2024-05-01T10:05:00Z"}], "age": 24,
                     "time_of_injury": "2024-05-01T10:00:00Z"}],
    }
    created = await client.post("/v1/evac-requests", json=body, headers=dispatcher)
    assert created.status == 201, await created.text()
    request = await created.json()
    [casualty] = request["casualties"]
    assert casualty["mist"]["mechanism"] == "IED" and casualty["injured_at"].startswith("2024-05-01T10:00")
    assert request["injured_at"].startswith("2024-05-01T10:00") and request["source"] == "json"

    wrapped = await client.post("/v1/evac-requests", json={"text": wordings["labelled"]}, headers=dispatcher)
    assert wrapped.status == 201 and (await wrapped.json())["source"] == "radio"


async def test_errors_name_the_line_and_field(client, token, theatre, wordings):
    field = await token("field")
    bad = wordings["us"].replace("LINE 3: A1 B1", "LINE 3: F1 B1")
    response = await client.post("/v1/evac-requests", data=bad, headers=field | {"Content-Type": "text/plain"})
    assert response.status == 422 and response.content_type == "application/problem+json"
    problem = await response.json()
    assert any(e["field"].startswith("line 3.") for e in problem["errors"]), problem

    structured = await client.post("/v1/evac-requests", headers=field, json={
        "location": {"lat": 6.6, "lon": 22.05}, "radio": {"call_sign": "X"}, "precedence": {"F": 1},
        "special_equipment": ["A"], "patients_by_type": {"litter": 1}})
    assert structured.status == 422
    assert [e["field"] for e in (await structured.json())["errors"]][0].startswith("line 3.precedence")

    observer = await token("observer")
    assert (await client.post("/v1/evac-requests", data=wordings["us"], headers=observer)).status == 403


async def test_idempotency_key_makes_a_radio_retry_safe(client, token, theatre, radio, wordings, db):
    field = await token("field", user="rto-1")
    first = await radio(field, wordings["us"], **{"Idempotency-Key": "call-0815"})
    again = await client.post("/v1/evac-requests", data=wordings["us"].encode(),
                              headers=field | {"Content-Type": "text/plain", "Idempotency-Key": "call-0815"})
    assert again.status == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert (await again.json())["id"] == first["id"]
    assert await db.fetchval("SELECT count(*) FROM evac_requests") == 1
    assert await db.fetchval("SELECT count(*) FROM casualties") == 2


async def test_lines_6_to_9_follow_as_an_update_and_list_filters(client, token, theatre, radio, wordings, db):
    field = await token("field")
    created = await radio(field, wordings["labelled"])
    url = f"/v1/evac-requests/{created['id']}"
    patched = await client.patch(url, headers=field | {"If-Match": f'"{created["version"]}"'}, json={
        "security": "E", "marking": {"method": "C", "detail": "violet smoke"}, "terrain": "ridge line",
        "mist_at": [{"mechanism": "GSW", "time_of_injury": "2024-05-01T09:30:00Z"}]})
    assert patched.status == 200, await patched.text()
    after = await patched.json()
    assert after["security"] == "E" and after["marking"] == "C" and after["version"] == created["version"] + 1
    assert after["casualties"][0]["mist"]["mechanism"] == "GSW"
    assert after["nine_line"]["precedence"]["A"] == 1  # lines 1-5 untouched

    wrong = await client.patch(url, headers=field, json={"security": "Q"})
    assert wrong.status == 422 and (await wrong.json())["errors"][0]["field"].startswith("line 6.")
    stale = await client.patch(url, headers=field | {"If-Match": '"1"'}, json={"security": "N"})
    assert stale.status == 409

    audit = await db.fetch("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", created["id"])
    changes = [a["action"] for a in audit if a["action"] != "patient_details.read"]  # reads: tests/security
    assert changes == ["evac_request.created", "evac_request.updated"]
    listed = await (await client.get("/v1/evac-requests?status=open&limit=1", headers=field)).json()
    assert [r["id"] for r in listed["items"]] == [created["id"]] and listed["next_cursor"] is None
