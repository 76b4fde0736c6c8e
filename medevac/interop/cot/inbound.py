"""A CoT event from a TAK peer: parsed with defusedxml (no DTDs, no entities), and a 9-line MEDEVAC
event read into our structured 9-line, where the pure parser validates it like any other intake."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from medevac.dispatch.nineline import NineLine, NineLineError, parse_structured
from medevac.interop.cot import codes

MAX_COUNT = 999


class Rejected(Exception):
    """Why an event was not taken: `outcome` is the metric label, the message names the attribute."""

    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome


@dataclass(frozen=True)
class NineLineEvent:
    uid: str
    callsign: str | None
    nine_line: NineLine


def parse_event(raw: bytes) -> ET.Element:
    try:
        root = fromstring(raw.strip(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise Rejected("malformed", f"not a well-formed CoT event: {type(error).__name__}: {error}") from None
    if root.tag != "event":
        raise Rejected("malformed", f"root element is <{root.tag}>, not <event>")
    return root


def _number(element: ET.Element, name: str, low: float, high: float) -> float:
    try:
        value = float(element.get(name, ""))
    except ValueError:
        raise Rejected("invalid", f"point@{name}: {element.get(name)!r} is not a number") from None
    if not low <= value <= high:
        raise Rejected("invalid", f"point@{name}: {value} is outside {low}..{high}")
    return value


def _count(attrs: dict[str, str], name: str) -> int:
    raw = attrs.get(name, "0").strip() or "0"
    try:
        value = int(raw)
    except ValueError:
        raise Rejected("invalid", f"_medevac_@{name}: {raw!r} is not a number of patients") from None
    if not 0 <= value <= MAX_COUNT:
        raise Rejected("invalid", f"_medevac_@{name}: {value} is not a plausible number of patients")
    return value


def _position(attrs: dict[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    raw = attrs.get(name)
    if raw is None or raw.strip() == "":
        return None
    if raw.strip() not in {str(i) for i in range(len(choices))}:
        raise Rejected("invalid", f"_medevac_@{name}: unknown code {raw!r} (0-{len(choices) - 1})")
    return choices[int(raw)]


def _true(attrs: dict[str, str], name: str) -> bool:
    return attrs.get(name, "").strip().lower() == "true"


def nine_line_of(root: ET.Element) -> NineLineEvent:
    """The 9-line in a `b-r-f-h-c` event; Rejected("invalid", …) naming what is wrong."""
    uid = (root.get("uid") or "").strip()
    if not uid or len(uid) > 200:
        raise Rejected("invalid", "event@uid: missing or longer than 200 characters")
    point, detail = root.find("point"), root.find("detail")
    medevac = detail.find("_medevac_") if detail is not None else None
    if point is None or medevac is None:
        raise Rejected("invalid", "a 9-line MEDEVAC event needs <point> and <detail><_medevac_>")
    contact = detail.find("contact")
    callsign = (contact.get("callsign") if contact is not None else None) or medevac.get("title")
    structured = _structured(dict(medevac.attrib), _number(point, "lat", -90, 90), _number(point, "lon", -180, 180),
                             callsign, medevac)
    try:
        return NineLineEvent(uid, callsign, parse_structured(structured))
    except NineLineError as error:
        raise Rejected("invalid", "; ".join(str(p) for p in error.problems[:5])) from None


def _structured(a: dict[str, str], lat: float, lon: float, callsign: str | None, medevac: ET.Element) -> dict[str, Any]:
    frequency = a.get("freq") if a.get("freq") not in (None, "", "0.0", "0") else None
    equipment = [code for code, flag in codes.EQUIPMENT.items() if _true(a, flag)] or ["A"]
    marking = _position(a, "hlz_marking", codes.MARKING)
    terrain = [word for flag, word in codes.TERRAIN.items() if _true(a, flag)]
    if a.get("terrain_other_detail"):
        terrain.append(a["terrain_other_detail"])
    return {
        "location": {"lat": lat, "lon": lon},
        "radio": {"frequency": frequency, "call_sign": callsign},
        "precedence": {code: _count(a, name) for code, name in codes.PRECEDENCE.items()},
        "special_equipment": equipment,
        "patients_by_type": {"litter": _count(a, "litter"), "ambulatory": _count(a, "ambulatory")},
        "security": _position(a, "security", codes.SECURITY),
        "marking": {"method": marking, "detail": a.get("hlz_other") or a.get("hlz_remarks")} if marking else None,
        "nationality": [{"status": code, "count": n} for code, name in codes.NATIONALITY.items()
                        if (n := _count(a, name))],
        "terrain": ", ".join(terrain) or None,
        "mist_at": [_mist(z) for z in medevac.iter("zMist")],
    }


def _mist(z: ET.Element) -> dict[str, Any]:
    out: dict[str, Any] = {"patient": z.get("z"), "mechanism": z.get("m"), "injuries": z.get("i"), "signs": z.get("s")}
    if (z.get("t") or "").strip():
        out["treatment"] = [{"given": z.get("t")}]
    return out
