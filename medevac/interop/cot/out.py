"""CoT events for the mission's picture: assets, facilities, open 9-lines as MEDEVAC markers. Pure."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

from medevac.dispatch.assets.model import Asset
from medevac.dispatch.evacuations.model import Evacuation
from medevac.dispatch.requests.model import EvacRequest
from medevac.facilities.model import Facility
from medevac.interop.cot import codes

UNKNOWN = "9999999.0"  # CoT's "not known" for height and error estimates


def cot_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def event(uid: str, kind: str, lat: float, lon: float, *, now: datetime, stale_s: float, how: str = "m-g",
          callsign: str | None = None, remarks: str | None = None) -> ET.Element:
    root = ET.Element("event", version="2.0", uid=uid, type=kind, how=how, time=cot_time(now), start=cot_time(now),
                      stale=cot_time(now + timedelta(seconds=stale_s)))
    ET.SubElement(root, "point", lat=f"{lat:.7f}", lon=f"{lon:.7f}", hae=UNKNOWN, ce=UNKNOWN, le=UNKNOWN)
    detail = ET.SubElement(root, "detail")
    if callsign:
        ET.SubElement(detail, "contact", callsign=callsign)
    if remarks:
        ET.SubElement(detail, "remarks").text = remarks
    return root


def to_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


def asset_event(asset: Asset, *, now: datetime, stale_s: float) -> ET.Element:
    kind = codes.ASSET_TYPES.get((asset.kind, asset.role), "a-f-A")
    remarks = f"{asset.status.replace('_', ' ')}; {asset.role} {asset.model or asset.kind}"
    return event(codes.asset_uid(asset.id), kind, asset.position.lat, asset.position.lon, now=now, stale_s=stale_s,
                 callsign=asset.callsign, remarks=remarks)


def facility_event(facility: Facility, *, now: datetime, stale_s: float) -> ET.Element:
    level = {1: "I", 2: "II", 3: "III", 4: "IV"}.get(facility.level, str(facility.level))
    remarks = (f"UN Level {level}, {facility.status}; {facility.usable_beds} of {facility.beds} beds free, "
               f"{facility.icu_beds} ICU; {', '.join(facility.capabilities)}")
    return event(codes.facility_uid(facility.id), codes.HOSPITAL, facility.location.lat, facility.location.lon,
                 now=now, stale_s=stale_s, how="h-e", callsign=facility.name, remarks=remarks)


def medevac_attributes(request: EvacRequest) -> dict[str, str]:
    """The 9-line as the TAK 9-line tool's `_medevac_` attributes (no MIST notes: those stay with us)."""
    nl: dict[str, Any] = request.nine_line
    out = {"title": request.callsign or f"MED.{str(request.id)[:8]}", "casevac": "false", "zone_prot_selection": "0"}
    if request.frequency:
        out["freq"] = request.frequency
    for code, attribute in codes.PRECEDENCE.items():
        if (nl.get("precedence") or {}).get(code):
            out[attribute] = str(nl["precedence"][code])
    for code in request.special_equipment:
        out[codes.EQUIPMENT[code]] = "true"
    by_type = nl.get("patients_by_type") or {}
    out |= {"litter": str(by_type.get("litter", 0)), "ambulatory": str(by_type.get("ambulatory", 0))}
    if request.security:
        out["security"] = str(codes.SECURITY.index(request.security))
    if nl.get("marking"):
        out["hlz_marking"] = str(codes.MARKING.index(nl["marking"]["method"]))
        if nl["marking"].get("detail"):
            out["hlz_remarks"] = nl["marking"]["detail"]
    for group in nl.get("nationality") or []:
        if group.get("count"):
            out[codes.NATIONALITY[group["status"]]] = str(group["count"])
    if nl.get("terrain"):
        out |= {"terrain_other": "true", "terrain_other_detail": nl["terrain"]}
    notes = [f"wounds: {nl['wounds']}" if nl.get("wounds") else None,
             f"CBRN: {', '.join(nl['cbrn']) or 'none'}" if nl.get("cbrn") is not None else None,
             nl.get("nationality_note")]
    if any(notes):
        out["medline_remarks"] = "; ".join(n for n in notes if n)
    return out


def medevac_event(request: EvacRequest, cot_uid: str | None, evacuation: Evacuation | None, callsign: str | None,
                  facility: str | None, *, now: datetime, stale_s: float) -> ET.Element:
    if evacuation is not None:
        eta = evacuation.eta_facility.strftime("%H:%MZ") if evacuation.eta_facility else "unknown"
        remarks = f"{evacuation.state.replace('_', ' ')}: {callsign} to {facility}, ETA {eta}"
    else:
        remarks = "open: waiting for an asset"
    root = event(codes.request_uid(request.id, cot_uid), codes.MEDEVAC, request.pickup.lat, request.pickup.lon,
                 now=now, stale_s=stale_s, how="h-g-i-g-o", callsign=request.callsign or "MEDEVAC", remarks=remarks)
    ET.SubElement(root.find("detail"), "_medevac_", medevac_attributes(request))
    return root


def delete_event(uid: str, *, now: datetime) -> ET.Element:
    """Tell TAK clients to remove a marker (a 9-line handed over or cancelled)."""
    root = event(f"{uid}-delete", codes.DELETE, 0.0, 0.0, now=now, stale_s=20, how="h-g-i-g-o")
    detail = root.find("detail")
    ET.SubElement(detail, "link", uid=uid, relation="p-p", type=codes.MEDEVAC)
    ET.SubElement(detail, "__forcedelete")
    return root


def pong(*, now: datetime) -> ET.Element:
    return event("takPong", codes.PONG, 0.0, 0.0, now=now, stale_s=20, how="h-g-i-g-o")
