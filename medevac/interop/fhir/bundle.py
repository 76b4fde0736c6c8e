"""An evacuation as one FHIR R4B Bundle: the export (a collection) and the pre-alert (a transaction of PUTs,
so a retried push updates the same resources instead of creating new ones)."""

from datetime import datetime
from typing import Any, Literal

from medevac.interop.fhir import clinical, codes, resources
from medevac.interop.fhir.refs import coding, concept, pruned, ref, rid, when
from medevac.interop.fhir.resources import Sources

BundleType = Literal["collection", "transaction"]


def prealert(s: Sources) -> dict[str, Any]:
    """The receiving facility's pre-alert: who is coming, when, and each patient's MIST-AT."""
    e, f = s.evacuation, s.facility
    eta = when(e.eta_facility) or "not yet estimated"
    summary = (f"Inbound {s.callsign} ({e.asset_kind.replace('_', ' ')}) to {f.name}: {len(s.aboard)} patient(s), "
               f"lead precedence {e.precedence} {codes.PRECEDENCE_NAME[e.precedence]}, ETA {eta}, "
               f"{e.beds_reserved} bed(s) reserved.")
    lines = [{"contentString": summary}]
    for n, c in enumerate(s.aboard, start=1):
        mist = clinical.mist_text(c.mist) if s.details else "details withheld"
        lines.append({"contentString": f"Patient {n} ({c.precedence} {codes.PRECEDENCE_NAME[c.precedence]}, "
                                       f"{c.patient_type}): {mist}"})
    return {"resourceType": "Communication", "id": rid("prealert", e.id), "status": "completed",
            "category": [concept("Alert", coding(codes.COMMUNICATION_CATEGORY, "alert", "Alert"))],
            "priority": codes.REQUEST_PRIORITY[e.precedence],
            "subject": ref(s.aboard[0].id) if s.aboard else None,
            "about": [ref(e.id), ref(s.request.id)], "basedOn": [ref(s.request.id)],
            "sent": when(e.tasked_at), "recipient": [ref(f.id, f.name)],
            "sender": {"display": "MEDEVAC coordination"}, "payload": lines}


def evacuation_resources(s: Sources) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    reported_at = when(s.request.called_at)
    for c in s.aboard:
        out.append(resources.patient(s, c))
        enc = resources.encounter(s, c)
        out.append(enc)
        if s.details:
            out += clinical.observations(c.mist, ref(c.id), ref(enc["id"]), reported_at, when(c.injured_at))
            out += clinical.procedures(c.mist, ref(c.id), ref(enc["id"]))
    out += [resources.service_request(s), resources.task(s), *resources.provenances(s), *resources.locations(s),
            resources.organization(s.facility), prealert(s)]
    return out


def bundle(items: list[dict[str, Any]], *, kind: BundleType, key: object, now: datetime) -> dict[str, Any]:
    entries = []
    for item in items:
        entry: dict[str, Any] = {"fullUrl": f"urn:uuid:{item['id']}", "resource": pruned(item)}
        if kind == "transaction":
            entry["request"] = {"method": "PUT", "url": f"{item['resourceType']}/{item['id']}"}
        entries.append(entry)
    return {"resourceType": "Bundle", "id": rid("bundle", kind, key), "type": kind,
            "timestamp": when(now), "entry": entries}


def evacuation_bundle(s: Sources, *, kind: BundleType, now: datetime) -> dict[str, Any]:
    return bundle(evacuation_resources(s), kind=kind, key=s.evacuation.id, now=now)
