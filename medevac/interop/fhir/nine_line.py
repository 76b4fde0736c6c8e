"""The 9-line's lines as ServiceRequest.orderDetail: each names its line, its codes, and reads as radioed."""

from typing import Any

from medevac.interop.fhir import codes
from medevac.interop.fhir.refs import coding, concept

LINE = "urn:medevac:nine-line"


def _detail(line: int, text: str, *values: tuple[str, str]) -> dict[str, Any]:
    system = codes.NINE_LINE.format(line=line)
    return concept(f"Line {line} ({codes.LINE_NAMES[line].lower()}): {text}",
                   coding(LINE, str(line), codes.LINE_NAMES[line]),
                   *(coding(system, code, display) for code, display in values))


def _location(nl: dict) -> str:
    loc = nl["location"]
    parts = [f"MGRS {loc['grid']}" if loc.get("grid") else None, f"{loc['lat']:.6f}, {loc['lon']:.6f}",
             loc.get("description")]
    return "; ".join(p for p in parts if p)


def order_details(nl: dict[str, Any]) -> list[dict[str, Any]]:
    """Every line the request holds, in line order."""
    out = [_detail(1, _location(nl))]
    radio = nl.get("radio") or {}
    out.append(_detail(2, " ".join(v for v in (radio.get("frequency"), radio.get("call_sign")) if v)))
    counts = [(p, n) for p, n in (nl.get("precedence") or {}).items() if n]
    out.append(_detail(3, ", ".join(f"{n} {p} ({codes.PRECEDENCE_NAME[p]})" for p, n in counts),
                       *((p, codes.PRECEDENCE_NAME[p]) for p, _ in counts)))
    equipment = nl.get("special_equipment") or []
    out.append(_detail(4, ", ".join(f"{e} {codes.EQUIPMENT[e]}" for e in equipment),
                       *((e, codes.EQUIPMENT[e]) for e in equipment)))
    by_type = nl.get("patients_by_type") or {}
    out.append(_detail(5, f"{by_type.get('litter', 0)} litter, {by_type.get('ambulatory', 0)} ambulatory"))
    out += _later_lines(nl)
    return out


def _later_lines(nl: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    if nl.get("security"):
        s = nl["security"]
        out.append(_detail(6, f"{s} {codes.SECURITY[s]}", (s, codes.SECURITY[s])))
    elif nl.get("wounds"):
        out.append(_detail(6, f"wounds: {nl['wounds']}"))
    if nl.get("marking"):
        m = nl["marking"]
        text = f"{m['method']} {codes.MARKING[m['method']]}" + (f" ({m['detail']})" if m.get("detail") else "")
        out.append(_detail(7, text, (m["method"], codes.MARKING[m["method"]])))
    groups = nl.get("nationality") or []
    if groups or nl.get("nationality_note"):
        text = ", ".join(f"{g['status']} {codes.NATIONALITY[g['status']]}" + (f" x{g['count']}" if g.get("count") else "")
                         for g in groups)
        text = "; ".join(t for t in (text, nl.get("nationality_note")) if t)
        out.append(_detail(8, text, *((g["status"], codes.NATIONALITY[g["status"]]) for g in groups)))
    if nl.get("cbrn") is not None:
        cbrn = nl["cbrn"]
        text = ", ".join(f"{c} {codes.CBRN[c]}" for c in cbrn) or "none"
        out.append(_detail(9, text, *((c, codes.CBRN[c]) for c in cbrn)))
    elif nl.get("terrain"):
        out.append(_detail(9, f"terrain: {nl['terrain']}"))
    return out
