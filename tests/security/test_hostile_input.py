"""Hostile input: injection strings stored verbatim and returned as JSON (never executed),
attachment names that try to be paths, NUL characters; malformed requests store nothing."""

import uuid

import pytest

from .world import PNG

INJECTIONS = ["'; DROP TABLE evac_requests; --", "\" OR 1=1 --", "<script>alert(1)</script>",
              "<img src=x onerror=alert(1)>", "${jndi:ldap://x}", "{{7*7}}", "Robert'); DELETE FROM audit_log;--"]
TABLES = ("missions", "facilities", "assets", "evac_requests", "casualties", "specialists", "consults",
          "consult_messages", "audit_log", "events")


async def counts(db) -> dict[str, int]:
    """Rows per table; the planner's own plan events come and go in the background, so not those."""
    found = {t: await db.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}
    found["events"] = await db.fetchval("SELECT count(*) FROM events WHERE type NOT LIKE 'plan.%'")
    found["audit_log"] = await db.fetchval("SELECT count(*) FROM audit_log WHERE action NOT LIKE 'plan.%'")
    return found


@pytest.mark.parametrize("payload", INJECTIONS)
async def test_injection_in_free_text_is_stored_verbatim_and_returned_as_json(client, world, db, payload):
    h = world.headers
    facility = await client.post("/v1/facilities", headers=h["admin"], json={
        "name": payload, "level": 1, "location": {"lat": 6.5, "lon": 21.9}, "beds": 2, "usable_beds": 2})
    assert facility.status == 201 and (await facility.json())["name"] == payload
    assert facility.content_type == "application/json"
    message = await client.post(world.path("/v1/consults/{consult_id}/messages"), headers=h["clinician"],
                                json={"client_id": uuid.uuid4().hex, "text": payload})
    assert message.status == 201 and (await message.json())["text"] == payload
    radio = f"LINE 1: 34N FN 16075 29652\nLINE 2: 38.90 {payload[:20]}\nLINE 3: A1\nLINE 4: A\nLINE 5: L1\n"
    request = await client.post("/v1/evac-requests", headers=h["field"], json={
        "text": radio, "mist_at": [{"patient": payload, "mechanism": payload}]})
    assert request.status in (201, 422), await request.text()
    if request.status == 201:
        stored = await (await client.get(f"/v1/evac-requests/{(await request.json())['id']}",
                                         headers=h["dispatcher"])).json()
        assert stored["casualties"][0]["mist"]["patient"] == payload
    assert await db.fetchval("SELECT name FROM facilities WHERE name = $1", payload) == payload
    assert all(n > 0 for t, n in (await counts(db)).items() if t != "consult_messages")  # nothing dropped


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/shadow", "..\\..\\windows\\win.ini", "./../leg.png",
                                  "..", "C:\\Users\\x\\leg.png"])
async def test_attachment_names_are_labels_never_paths(client, world, db, tmp_path, name):
    url = world.path("/v1/consults/{consult_id}/attachments")
    response = await client.post(url, data=PNG, headers=world.headers["clinician"]
                                 | {"Content-Type": "image/png", "X-Filename": name})
    assert response.status == 201, await response.text()
    stored = (await response.json())["filename"]
    assert stored is None or ("/" not in stored and "\\" not in stored and stored not in (".", "..")
                              and stored.isprintable())
    # the bytes live in the database, not in a file named by the client
    assert await db.fetchval("SELECT content FROM consult_attachments WHERE id = $1",
                             uuid.UUID((await response.json())["id"])) == PNG


async def test_a_nul_byte_in_any_field_is_a_named_422_and_nothing_is_stored(client, world, db):
    before = await counts(db)
    h = world.headers
    cases = [
        ("/v1/facilities", h["admin"], {"name": "Bad\u0000Name", "level": 1, "location": {"lat": 6.5, "lon": 21.9},
                                        "beds": 2, "usable_beds": 2}, "name"),
        (world.path("/v1/consults/{consult_id}/messages"), h["clinician"], {"client_id": "n", "text": "a\u0000"},
         "text"),
        ("/v1/specialists", h["admin"], {"user_id": "x", "name": "Dr\u0000", "specialty": "burns"}, "name"),
    ]
    for path, headers, body, field in cases:
        response = await client.post(path, json=body, headers=headers)
        assert response.status == 422 and response.content_type == "application/problem+json"
        assert field in {e["field"] for e in (await response.json())["errors"]}
    radio = await client.post("/v1/evac-requests", data=b"LINE 1: 34N FN 16075 29652\x00\nLINE 3: A1",
                              headers=h["field"] | {"Content-Type": "text/plain"})
    assert 400 <= radio.status < 500 and radio.content_type == "application/problem+json"
    assert await counts(db) == before


async def test_malformed_requests_store_nothing_and_name_the_field(client, world, db):
    before = await counts(db)
    h = world.headers["dispatcher"] | {"Content-Type": "application/json"}
    for body, status in ((b"[" * 50_000 + b"]" * 50_000, 400), (b'{"name": "\xc3\x28"}', 400), (b"{", 400)):
        response = await client.post("/v1/facilities", data=body, headers=h)
        assert response.status == status and (await response.json())["errors"][0]["field"] == "body"
    wrong_type = await client.post("/v1/assets", data=b"<asset/>", headers=h | {"Content-Type": "application/xml"})
    assert wrong_type.status == 415 and (await wrong_type.json())["errors"][0]["field"] == "Content-Type"
    assert await counts(db) == before
