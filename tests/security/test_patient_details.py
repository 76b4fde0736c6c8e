"""Patient details (names, MIST-AT, radio text, consult chat) reach only those who need them,
and every time they are shown there is an audit row with actor, resource and purpose."""

import json

from medevac.privacy import PATIENT_READERS

NAMED = {"text": "LINE 1: 34N FN 16075 29652\nLINE 2: 38.90 DUSTOFF 6\nLINE 3: A1\nLINE 4: A\nLINE 5: L1\n",
         "mist_at": [{"patient": "Cpl Amadou Diallo", "mechanism": "IED blast", "injuries": "left leg amputation"}]}


def purpose(row: dict) -> str:
    after = row["after"]
    return (json.loads(after) if isinstance(after, str) else after)["purpose"]


async def reads(db, entity: str, entity_id: str) -> list[dict]:
    rows = await db.fetch("SELECT actor, role, after FROM audit_log WHERE action = 'patient_details.read' "
                          "AND entity = $1 AND entity_id = $2 ORDER BY id", entity, entity_id)
    return [dict(r) for r in rows]


async def test_observers_and_specialists_see_requests_without_names_or_notes(client, world, db):
    created = await client.post("/v1/evac-requests", json=NAMED, headers=world.headers["field"])
    assert created.status == 201, await created.text()
    request_id = (await created.json())["id"]
    for role, headers in world.headers.items():
        one = await (await client.get(f"/v1/evac-requests/{request_id}", headers=headers)).json()
        listed = await (await client.get("/v1/evac-requests", headers=headers)).json()
        [in_list] = [r for r in listed["items"] if r["id"] == request_id]
        for body in (one, in_list):
            text = json.dumps(body)
            assert body["casualties"] and body["casualties"][0]["precedence"] == "A"  # the aggregate stays
            if role in PATIENT_READERS:
                assert "Cpl Amadou Diallo" in text and body["casualties"][0]["mist"], role
            else:
                assert "Diallo" not in text and "amputation" not in text, role
                assert body["raw_text"] is None and body["casualties"][0]["mist"] is None
    audited = await reads(db, "evac_request", request_id)
    # the field medic's creation answer, then two reads (item and list) by each entitled role; none
    # recorded for what was withheld
    assert audited[0]["role"] == "field"
    assert sorted(r["role"] for r in audited[1:]) == sorted(list(PATIENT_READERS) * 2)
    assert {purpose(r) for r in audited} == {"dispatch"}


async def test_inbound_handover_notes_are_withheld_from_observers_and_audited_for_clinicians(client, world, db):
    url = world.path("/v1/facilities/{facility_id}/inbound")
    observer = await (await client.get(url, headers=world.headers["observer"])).json()
    assert observer["inbound"] and all(c["mist"] is None for i in observer["inbound"] for c in i["casualties"])
    assert await reads(db, "facility_inbound", world.ids["facility_id"]) == []
    patched = await client.patch(world.path("/v1/evac-requests/{request_id}"), json={"mist_at": NAMED["mist_at"]},
                                 headers=world.headers["field"])
    assert patched.status == 200, await patched.text()
    clinician = await (await client.get(url, headers=world.headers["clinician"])).json()
    assert clinician["inbound"][0]["casualties"][0]["mist"]["mechanism"] == "IED blast"
    [row] = await reads(db, "facility_inbound", world.ids["facility_id"])
    assert row["role"] == "clinician" and row["actor"].startswith("clinician-") and purpose(row) == "handover"


async def test_consult_and_chat_reads_are_audited_and_others_are_refused(client, world, db):
    consult = world.ids["consult_id"]
    for role in ("observer", "dispatcher", "field"):
        headers = world.headers[role]
        assert (await client.get(f"/v1/consults/{consult}", headers=headers)).status == 403
        assert (await client.get(f"/v1/consults/{consult}/messages", headers=headers)).status == 403
    before = len(await reads(db, "consult_chat", consult))
    history = await client.get(f"/v1/consults/{consult}/messages", headers=world.headers["specialist"])
    assert [m["text"] for m in (await history.json())["items"]] == ["BP falling"]
    assert (await client.get(f"/v1/consults/{consult}", headers=world.headers["admin"])).status == 200
    attachment = world.path("/v1/consults/{consult_id}/attachments/{attachment_id}")
    assert (await client.get(attachment, headers=world.headers["clinician"])).status == 200
    ws = await client.ws_connect(f"/v1/consults/{consult}/ws", headers=world.headers["clinician"])
    await ws.receive_json(timeout=10)  # the welcome: the session (and its audit row) is open
    await ws.close()
    chat = await reads(db, "consult_chat", consult)
    assert [r["role"] for r in chat[before:]] == ["specialist", "clinician"]
    assert [r["role"] for r in await reads(db, "consult", consult)][-1] == "admin"
    assert [r["role"] for r in await reads(db, "consult_attachment", world.ids["attachment_id"])] == ["clinician"]


async def test_live_events_strip_patient_details_for_observers_and_audit_them_for_dispatchers(
        client, world, db, sse):
    observer = await sse(client, world.headers["observer"], last_event_id=0)
    dispatcher = await sse(client, world.headers["dispatcher"], last_event_id=0)
    created = await client.post("/v1/evac-requests", json=NAMED, headers=world.headers["field"])
    request_id = (await created.json())["id"]

    def is_new(event: dict) -> bool:
        return event["type"] == "evac_request.created" and event["entity_id"] == request_id

    seen_by_observer = await observer.until(is_new)
    seen_by_dispatcher = await dispatcher.until(is_new)
    assert "Diallo" not in json.dumps(seen_by_observer) and seen_by_observer["payload"]["raw_text"] is None
    assert "Cpl Amadou Diallo" in json.dumps(seen_by_dispatcher)
    audited = await reads(db, "evac_request", request_id)
    assert [r["role"] for r in audited] == ["field", "dispatcher"]  # the creation answer, then the stream


async def test_conflicts_and_replays_that_show_patient_details_are_audited(client, world, db):
    h = world.headers
    key = {"Idempotency-Key": "radio-retry-1"}
    first = await client.post("/v1/evac-requests", json=NAMED, headers=h["field"] | key)
    replay = await client.post("/v1/evac-requests", json=NAMED, headers=h["field"] | key)
    assert replay.headers.get("Idempotent-Replayed") == "true" and "Diallo" in await replay.text()
    request_id = (await first.json())["id"]
    assert [r["role"] for r in await reads(db, "evac_request", request_id)] == ["field", "field"]

    stale = await client.patch(f"/v1/evac-requests/{request_id}", json={"wounds": "GSW chest"},
                               headers=h["dispatcher"] | {"If-Match": '"99"'})
    assert stale.status == 409 and "Diallo" in (await stale.json())["current"]["raw_text"] + json.dumps(
        (await stale.json())["current"]["casualties"])
    assert [r["role"] for r in await reads(db, "evac_request", request_id)][-1] == "dispatcher"

    before = len(await reads(db, "evac_request", world.ids["request_id"]))
    again = await client.post(world.path("/v1/evac-requests/{request_id}/approve"), headers=h["dispatcher"],
                              json={"asset_id": world.ids["asset_id"], "facility_id": world.ids["facility_id"],
                                    "accept_warnings": True})
    assert again.status == 409 and (await again.json())["current"]["casualties"], await again.text()
    audited = await reads(db, "evac_request", world.ids["request_id"])
    assert len(audited) == before + 1 and audited[-1]["role"] == "dispatcher" and purpose(audited[-1]) == "dispatch"


async def test_a_replayed_consult_request_is_audited_like_the_first(client, world, db):
    key = {"Idempotency-Key": "consult-retry-1"}
    body = {"specialty": "orthopaedics", "urgency": "routine", "question": "Reduce?",
            "summary": {"mechanism": "fall", "injuries": "Cpl Diallo, open fracture"}}
    first = await client.post("/v1/consults", json=body, headers=world.headers["clinician"] | key)
    replay = await client.post("/v1/consults", json=body, headers=world.headers["clinician"] | key)
    assert first.status == replay.status == 201 and replay.headers.get("Idempotent-Replayed") == "true"
    consult_id = (await first.json())["id"]
    assert [r["role"] for r in await reads(db, "consult", consult_id)] == ["clinician", "clinician"]


WOUNDS = {"location": {"lat": 6.6, "lon": 22.05}, "radio": {"frequency": "45.500", "call_sign": "WARHORSE 21"},
          "precedence": {"A": 1}, "special_equipment": ["A"], "patients_by_type": {"litter": 1},
          "wounds": "1 GSW CHEST PTE JOHN SMITH HIV+", "nationality": [{"status": "C", "count": 1}],
          "nationality_note": "SMITH, Bangladeshi contingent", "terrain": "behind the SMITH compound"}


async def test_observers_see_no_identity_in_free_text_over_rest_or_live_events(client, world, sse, db):
    observer = await sse(client, world.headers["observer"], last_event_id=0)
    created = await client.post("/v1/evac-requests", json=WOUNDS, headers=world.headers["field"])
    assert created.status == 201, await created.text()
    request_id = (await created.json())["id"]
    event = await observer.until(lambda e: e["type"] == "evac_request.created" and e["entity_id"] == request_id)
    one = await (await client.get(f"/v1/evac-requests/{request_id}", headers=world.headers["observer"])).json()
    listed = await (await client.get("/v1/evac-requests", headers=world.headers["observer"])).json()
    for body in (event["payload"], one, next(r for r in listed["items"] if r["id"] == request_id)):
        assert "SMITH" not in json.dumps(body) and body["nine_line"]["wounds"] is None
        assert body["nine_line"]["nationality"] == [{"status": "C", "count": 1, "category": None}]  # the aggregate stays
    dispatcher = await (await client.get(f"/v1/evac-requests/{request_id}", headers=world.headers["dispatcher"])).json()
    assert dispatcher["nine_line"]["wounds"] == WOUNDS["wounds"] and "SMITH" in dispatcher["nine_line"]["nationality_note"]
    assert [r["role"] for r in await reads(db, "evac_request", request_id)] == ["field", "dispatcher"]
