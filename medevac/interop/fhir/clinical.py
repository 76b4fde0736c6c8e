"""A casualty's MIST-AT as Observations (LOINC vital signs where standard, text otherwise) and Procedures."""

import re
from typing import Any

from medevac.interop.fhir import codes
from medevac.interop.fhir.refs import coding, concept, rid

VITAL_SIGNS = concept("Vital Signs", coding(codes.OBSERVATION_CATEGORY, "vital-signs", "Vital Signs"))
EXAM = concept("Exam", coding(codes.OBSERVATION_CATEGORY, "exam", "Exam"))
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")
_PRESSURE = re.compile(r"^\s*(\d{2,3})\s*/\s*(\d{2,3})\s*$")


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": codes.UCUM, "code": unit}


def _observation(key: str, patient: dict, encounter: dict, at: str | None, code: dict, **value) -> dict:
    category = VITAL_SIGNS if any(c.get("system") == codes.LOINC for c in code.get("coding", [])) else EXAM
    return {"resourceType": "Observation", "id": rid("observation", patient["reference"], key), "status": "final",
            "category": [category], "code": code, "subject": patient, "encounter": encounter,
            "effectiveDateTime": at, **value}


def _vital(name: str, raw: Any, patient: dict, encounter: dict, at: str | None) -> dict:
    key = name.strip().lower()
    text = str(raw)
    pressure = _PRESSURE.match(text) if key in ("bp", "blood_pressure") else None
    if pressure:
        components = [{"code": concept(codes.VITALS[k][1], coding(codes.LOINC, codes.VITALS[k][0], codes.VITALS[k][1])),
                       "valueQuantity": _quantity(float(v), "mm[Hg]")} for k, v in zip(("sbp", "dbp"), pressure.groups())]
        code = concept("Blood pressure", coding(codes.LOINC, *codes.BLOOD_PRESSURE))
        return _observation(f"vital/{key}", patient, encounter, at, code, component=components)
    number = _NUMBER.match(text) if not isinstance(raw, (int, float)) else None
    if key in codes.VITALS and (isinstance(raw, (int, float)) or number):
        loinc, display, unit = codes.VITALS[key]
        value = float(raw) if isinstance(raw, (int, float)) else float(number.group(1))
        return _observation(f"vital/{key}", patient, encounter, at, concept(display, coding(codes.LOINC, loinc, display)),
                            valueQuantity=_quantity(value, unit))
    return _observation(f"vital/{key}", patient, encounter, at,
                        concept(name, coding(codes.MIST_AT, f"vital/{key}", name)), valueString=text)


def observations(mist: dict[str, Any] | None, patient: dict, encounter: dict, reported_at: str,
                 injured_at: str | None = None) -> list[dict]:
    """Mechanism, injuries and signs as text; vitals coded; age; time of injury (MIST-AT's, else the
    one reported with the 9-line). Nothing for absent parts."""
    mist = mist or {}
    injured_at = mist.get("time_of_injury") or injured_at
    out = []
    for part, display in codes.NARRATIVE.items():
        if mist.get(part):
            at = injured_at if part == "mechanism" and injured_at else reported_at
            out.append(_observation(part, patient, encounter, at, concept(display, coding(codes.MIST_AT, part, display)),
                                    valueString=mist[part]))
    for name, raw in (mist.get("vitals") or {}).items():
        out.append(_vital(name, raw, patient, encounter, reported_at))
    if mist.get("age") is not None:
        out.append(_observation("age", patient, encounter, reported_at,
                                concept(codes.AGE[1], coding(codes.LOINC, *codes.AGE)),
                                valueQuantity=_quantity(float(mist["age"]), "a")))
    if injured_at:
        display = "Time of injury"
        out.append(_observation("time_of_injury", patient, encounter, reported_at,
                                concept(display, coding(codes.MIST_AT, "time_of_injury", display)),
                                valueDateTime=injured_at))
    return out


def procedures(mist: dict[str, Any] | None, patient: dict, encounter: dict) -> list[dict]:
    """Treatment given before pickup, in the order reported."""
    return [{"resourceType": "Procedure", "id": rid("procedure", patient["reference"], i), "status": "completed",
             "code": {"text": t["given"]}, "subject": patient, "encounter": encounter, "performedDateTime": t.get("at")}
            for i, t in enumerate((mist or {}).get("treatment") or [])]


def mist_text(mist: dict[str, Any] | None) -> str:
    """One line of MIST-AT as a medic reads it out, for the pre-alert's payload."""
    if not mist:
        return "no MIST-AT reported"
    vitals = ", ".join(f"{k} {v}" for k, v in (mist.get("vitals") or {}).items())
    treatment = ", ".join(t["given"] for t in mist.get("treatment") or [])
    parts = [("M", mist.get("mechanism")), ("I", mist.get("injuries")),
             ("S", "; ".join(p for p in (mist.get("signs"), vitals) if p)), ("T", treatment),
             ("A", mist.get("age")), ("T", mist.get("time_of_injury"))]
    return "; ".join(f"{k}: {v}" for k, v in parts if v not in (None, ""))
