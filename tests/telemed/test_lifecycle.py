"""The consult state machine: transitions with timestamps, audit rows and events; 409 otherwise."""

import uuid

from .test_sessions import accepted_consult


async def test_evacuation_recommended_closes_with_a_linked_draft(client, db, specialist, consult):
    created, clinician_h, spec_h = await accepted_consult(client, specialist, consult)
    body = {"outcome": "evacuation_recommended", "note": "needs ORIF within 24 h",
            "evacuation": {"precedence": "C"}}
    resp = await client.post(f"/v1/consults/{created['id']}/close", json=body, headers=spec_h)
    closed = await resp.json()
    assert resp.status == 200, closed
    assert closed["status"] == "closed" and closed["outcome"] == "evacuation_recommended" and closed["closed_at"]
    draft = await db.fetchrow("SELECT * FROM consult_evacuation_drafts WHERE id = $1",
                              uuid.UUID(closed["evacuation_draft_id"]))
    assert draft["consult_id"] == uuid.UUID(created["id"]) and draft["precedence"] == "C"
    assert draft["summary"]["mechanism"] == "IED blast" and draft["status"] == "draft"
    types = {r["type"] for r in await db.fetch("SELECT type FROM events WHERE mission_id = $1", draft["mission_id"])}
    assert {"consult.closed", "evacuation_draft.created"} <= types
    again = await client.post(f"/v1/consults/{created['id']}/cancel", json={}, headers=clinician_h)
    assert again.status == 409 and (await again.json())["allowed_from"]


async def test_cancelling_before_anyone_accepts_counts_as_abandoned(client, token, specialist, consult):
    spec, spec_h = await specialist("Slow")
    created, clinician_h = await consult(urgency="emergency")
    other = await client.post(f"/v1/consults/{created['id']}/cancel", json={}, headers=await token("clinician"))
    assert other.status == 403
    resp = await client.post(f"/v1/consults/{created['id']}/cancel", json={"reason": "patient evacuated"},
                             headers=clinician_h)
    cancelled = await resp.json()
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"]
    assert {o["status"] for o in cancelled["offers"]} == {"withdrawn"}
    late = await client.post(f"/v1/consults/{created['id']}/accept", headers=spec_h)
    assert late.status == 409
    metrics = await (await client.get("/metrics")).text()
    assert 'medevac_consults_abandoned_total{specialty="orthopaedics",urgency="emergency"} 1.0' in metrics


async def test_a_specialist_at_the_load_limit_cannot_accept_more(client, specialist, consult):
    spec, spec_h = await specialist("Busy", load_limit=1)
    first, _ = await consult()
    assert (await client.post(f"/v1/consults/{first['id']}/accept", headers=spec_h)).status == 200
    second, _ = await consult()
    assert second["status"] == "unmatched"
    assert second["ranking"]["excluded"][0]["reason"] == "at load limit (1/1)"


async def test_bad_consult_input_names_the_field(client, token):
    clinician = await token("clinician")
    resp = await client.post("/v1/consults", json={"specialty": "astrology", "urgency": "soon", "question": "",
                                                   "summary": {}}, headers=clinician)
    assert resp.status == 422
    fields = {e["field"] for e in (await resp.json())["errors"]}
    assert {"specialty", "urgency", "question", "summary.mechanism"} <= fields
    link = await client.post("/v1/consults", json={"specialty": "burns", "urgency": "urgent", "question": "?",
                                                   "summary": {"mechanism": "fire"},
                                                   "evacuation_request_id": str(uuid.uuid4())}, headers=clinician)
    assert link.status == 422 and (await link.json())["errors"][0]["field"] == "evacuation_request_id"
    assert (await client.post("/v1/consults", json={}, headers=await token("dispatcher"))).status == 403
