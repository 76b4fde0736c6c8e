"""One FHIR R4B resource per function, from our rows. Pure: no database, no clock."""

from dataclasses import dataclass, field
from typing import Any

from medevac.dispatch.assets.model import Asset
from medevac.dispatch.evacuations.model import Evacuation
from medevac.dispatch.requests.model import Casualty, EvacRequest
from medevac.facilities.model import Facility
from medevac.interop.fhir import codes
from medevac.interop.fhir.nine_line import order_details
from medevac.interop.fhir.refs import coding, concept, ref, rid, when

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PSEUDONYMISED = coding(codes.OBSERVATION_VALUE, "PSEUDED", "pseudonymized")
REQUEST_STATUS = {"open": "active", "tasked": "active", "handed_over": "completed", "cancelled": "revoked"}


@dataclass(frozen=True)
class Sources:
    """What one evacuation's export reads; `details`: patient details may be shown to this reader."""

    evacuation: Evacuation
    request: EvacRequest
    facility: Facility
    asset: Asset | None
    history: list[dict[str, Any]] = field(default_factory=list)  # audit rows: at, actor, role, action
    names: bool = False
    details: bool = True

    @property
    def aboard(self) -> list[Casualty]:
        ids = set(self.evacuation.casualty_ids)
        return [c for c in self.request.casualties if c.id in ids]

    @property
    def callsign(self) -> str:
        return self.asset.callsign if self.asset else str(self.evacuation.asset_id)


def priority(precedence: str) -> dict[str, Any]:
    code, display = codes.ACT_PRIORITY_OF[precedence]
    return concept(f"{precedence} {codes.PRECEDENCE_NAME[precedence]}", coding(codes.ACT_PRIORITY, code, display),
                   coding(codes.PRECEDENCE, precedence, codes.PRECEDENCE_NAME[precedence]))


def patient(s: Sources, c: Casualty) -> dict[str, Any]:
    name = (c.mist or {}).get("patient") if s.names and s.details else None
    return {"resourceType": "Patient", "id": str(c.id),
            "meta": None if name else {"security": [PSEUDONYMISED]},
            "identifier": [{"system": codes.CASUALTY_SYSTEM.format(mission_id=s.request.mission_id),
                            "value": str(c.id)}],
            "active": True, "name": [{"text": name}] if name else None}


def encounter(s: Sources, c: Casualty) -> dict[str, Any]:
    e = s.evacuation
    return {"resourceType": "Encounter", "id": rid("encounter", e.id, c.id),
            "status": codes.ENCOUNTER_STATUS[e.state],
            "class": coding(codes.ACT_CODE, "EMER", "emergency"),
            "type": [{"text": f"Casualty evacuation (transport) by {e.asset_kind.replace('_', ' ')}"}],
            "priority": priority(c.precedence), "subject": ref(c.id), "basedOn": [ref(s.request.id)],
            "period": {"start": when(e.tasked_at), "end": when(e.handed_over_at or e.aborted_at)},
            "hospitalization": {"origin": ref(pickup_id(s)), "destination": ref(destination_id(s)),
                                "specialArrangement": [{"text": c.patient_type}]},
            "location": [{"location": ref(destination_id(s)),
                          "status": "completed" if e.handed_over_at else "planned"}],
            "serviceProvider": ref(s.facility.id, s.facility.name)}


def pickup_id(s: Sources) -> str:
    return rid("pickup", s.request.id)


def destination_id(s: Sources) -> str:
    return rid("facility-location", s.facility.id)


def service_request(s: Sources) -> dict[str, Any]:
    r = s.request
    total = len(r.casualties)
    return {"resourceType": "ServiceRequest", "id": str(r.id),
            "identifier": [{"system": codes.REQUEST_SYSTEM.format(mission_id=r.mission_id), "value": str(r.id)}],
            "status": REQUEST_STATUS[r.status], "intent": "order",
            "priority": codes.REQUEST_PRIORITY[r.lead_precedence],
            "category": [{"text": "9-line MEDEVAC request"}],
            "code": {"text": "Casualty evacuation (9-line MEDEVAC)"},
            "orderDetail": order_details(r.nine_line),
            "quantityQuantity": {"value": total},
            "subject": ref(s.aboard[0].id) if s.aboard else None,
            "supportingInfo": [ref(c.id) for c in s.aboard],
            "authoredOn": when(r.called_at),
            "requester": {"display": r.callsign or r.created_by},
            "locationReference": [ref(pickup_id(s))],
            "note": [{"text": f"As radioed: {r.raw_text}"}] if r.raw_text and s.details else None}


def task(s: Sources) -> dict[str, Any]:
    e = s.evacuation
    stages = [{"type": concept(f"{state.replace('_', ' ')} at", coding(codes.EVACUATION_STATE, state)),
               "valueDateTime": when(getattr(e, stamp))} for state, stamp in codes.STAGES if getattr(e, stamp)]
    return {"resourceType": "Task", "id": str(e.id), "basedOn": [ref(s.request.id)], "focus": ref(s.request.id),
            "for": ref(s.aboard[0].id) if s.aboard else None,
            "status": codes.TASK_STATUS[e.state],
            "businessStatus": concept(e.state.replace("_", " "), coding(codes.EVACUATION_STATE, e.state)),
            "statusReason": {"text": e.abort_reason} if e.abort_reason else None,
            "intent": "order", "priority": codes.REQUEST_PRIORITY[e.precedence],
            "code": {"text": "Casualty evacuation sortie"},
            "description": f"{s.callsign} ({e.asset_kind.replace('_', ' ')}) to {s.facility.name}",
            "authoredOn": when(e.tasked_at), "lastModified": when(e.updated_at),
            "executionPeriod": {"start": when(e.tasked_at), "end": when(e.completed_at or e.aborted_at)},
            "requester": {"display": e.approved_by}, "owner": {"display": s.callsign},
            "restriction": {"period": {"end": when(e.eta_facility)}, "recipient": [ref(s.facility.id, s.facility.name)]},
            "output": stages,
            "relevantHistory": [ref(rid("provenance", h["id"])) for h in s.history]}


def provenances(s: Sources) -> list[dict[str, Any]]:
    """Who moved the evacuation to each state, and when: the audit log's rows."""
    return [{"resourceType": "Provenance", "id": rid("provenance", h["id"]), "target": [ref(s.evacuation.id)],
             "recorded": when(h["at"]),
             "activity": concept(h["action"], coding(codes.EVACUATION_STATE, h["action"].split(".", 1)[-1])),
             "agent": [{"who": {"display": f"{h['actor']} ({h['role']})"}}]} for h in s.history]


def locations(s: Sources) -> list[dict[str, Any]]:
    r, f = s.request, s.facility
    pickup = {"resourceType": "Location", "id": pickup_id(s), "status": "active", "mode": "instance",
              "name": f"Pickup site {r.grid or ''}".strip(), "description": (r.nine_line["location"] or {}).get("description"),
              "position": {"latitude": r.pickup.lat, "longitude": r.pickup.lon}}
    destination = {"resourceType": "Location", "id": destination_id(s), "status": "active", "mode": "instance",
                   "name": f.name, "position": {"latitude": f.location.lat, "longitude": f.location.lon},
                   "managingOrganization": ref(f.id, f.name)}
    return [pickup, destination]


def organization(f: Facility) -> dict[str, Any]:
    level = ROMAN.get(f.level, str(f.level))
    return {"resourceType": "Organization", "id": str(f.id),
            "identifier": [{"system": codes.FACILITY_SYSTEM, "value": str(f.id)}],
            "active": f.status != "closed",
            "type": [concept(f"UN Level {level} medical facility", coding(codes.UN_LEVEL, str(f.level), f"Level {level}"))],
            "name": f.name}
