"""A teleconsult as FHIR R4B: the consult's ServiceRequest and one Communication per chat message. Pure."""

from datetime import datetime
from typing import Any

from medevac.interop.fhir import codes
from medevac.interop.fhir.bundle import bundle
from medevac.interop.fhir.refs import ref, rid, when
from medevac.telemed.model import Consult

STATUS = {"unmatched": "active", "offered": "active", "broadcast": "active", "accepted": "active",
          "closed": "completed", "cancelled": "revoked"}
PRIORITY = {"emergency": "stat", "urgent": "urgent", "routine": "routine"}


def _summary(summary: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in summary.items() if v not in (None, "", [], {}))


def consult_resources(consult: Consult, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    patient_id = rid("consult-patient", consult.id)
    patient = {"resourceType": "Patient", "id": patient_id, "meta": {"security": [
        {"system": codes.OBSERVATION_VALUE, "code": "PSEUDED", "display": "pseudonymized"}]},
        "identifier": [{"system": codes.CASUALTY_SYSTEM.format(mission_id=consult.mission_id),
                        "value": consult.casualty_ref or str(consult.id)}]}
    request = {"resourceType": "ServiceRequest", "id": str(consult.id), "status": STATUS[consult.status],
               "intent": "order", "priority": PRIORITY[consult.urgency],
               "category": [{"text": "Teleconsultation"}],
               "code": {"text": f"{consult.specialty.replace('_', ' ')} consultation"},
               "subject": ref(patient_id), "authoredOn": when(consult.created_at),
               "requester": {"display": consult.requested_by},
               "reasonCode": [{"text": consult.question}],
               "note": [{"text": _summary(consult.summary)}] if _summary(consult.summary) else None}
    return [patient, request, *(_message(consult, patient_id, m) for m in messages)]


def _message(consult: Consult, patient_id: str, m: dict[str, Any]) -> dict[str, Any]:
    payload = [{"contentString": m["text"]}] if m["text"] else []
    if m.get("attachment_id"):
        payload.append({"contentAttachment": {
            "url": f"/v1/consults/{consult.id}/attachments/{m['attachment_id']}", "title": "attachment"}})
    return {"resourceType": "Communication", "id": rid("consult-message", consult.id, m["seq"]),
            "status": "completed", "basedOn": [ref(consult.id)], "subject": ref(patient_id),
            "sent": m["sent_at"], "sender": {"display": f"{m['sender']} ({m['from']})"},
            "category": [{"text": "Teleconsultation message"}], "payload": payload}


def consult_bundle(consult: Consult, messages: list[dict[str, Any]], *, now: datetime) -> dict[str, Any]:
    return bundle(consult_resources(consult, messages), kind="collection", key=consult.id, now=now)
