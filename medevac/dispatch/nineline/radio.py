"""The radio text form of the 9-line, as operators type it, and back.

Lines are introduced by a number (`LINE 3`, `L3`, `3.`, `3)`, `3:`) or a label (`PRECEDENCE`,
`FREQ/CALLSIGN`, `SECURITY`, `TERRAIN`, ...); text without a marker continues the line above.
`BREAK` separates groups like a line break. MIST-AT notes travel in the structured form only.
"""

import re

from medevac.dispatch.nineline.errors import LineProblem, NineLineError
from medevac.dispatch.nineline.lines import READERS, Unreadable
from medevac.dispatch.nineline.models import NineLine, parse_structured

MAX_TEXT = 5000  # a 9-line is a few hundred characters; anything longer is not one

# (label, line, hint): the hint tells lines 2, 6 and 9 which wording follows.
LABELS = [
    (r"PICK\s*-?\s*UP\s+(?:SITE\s+)?LOCATION|LOCATION|GRID|POSITION", 1, None),
    (r"(?:RADIO\s+)?FREQ(?:UENCY)?\s*(?:/|AND|&)\s*CALL\s*-?\s*SIGN(?:\s+AND\s+SUFFIX)?", 2, None),
    (r"(?:RADIO\s+)?FREQ(?:UENCY)?", 2, "frequency"),
    (r"CALL\s*-?\s*SIGN|C/S", 2, "call_sign"),
    (r"(?:NUMBER\s+OF\s+)?PATIENTS?\s+BY\s+PRECEDENCE|PRECEDENCE|PREC", 3, None),
    (r"SPECIAL\s+EQUIPMENT(?:\s+REQUIRED)?|EQUIPMENT|EQUIP", 4, None),
    (r"(?:NUMBER\s+OF\s+)?PATIENTS?\s+BY\s+TYPE|PATIENT\s+TYPE|LITTER\s*/\s*AMBULATORY"
     r"|LIT\s*/\s*AMB", 5, None),
    (r"SECURITY(?:\s+(?:OF|AT)\s+PICK\s*-?\s*UP\s+SITE)?|SEC", 6, "security"),
    (r"(?:NUMBER\s+AND\s+)?TYPE\s+OF\s+WOUNDS?(?:\s*,?\s*INJURY)?(?:\s*,?\s*(?:OR\s+)?ILLNESS)?"
     r"|WOUNDS?|INJURIES|INJURY|ILLNESS", 6, "wounds"),
    (r"(?:METHOD\s+OF\s+)?MARKING(?:\s+(?:OF\s+)?PICK\s*-?\s*UP\s+SITE)?", 7, None),
    (r"(?:PATIENT\s+)?NATIONALITY(?:\s*(?:AND|/)\s*STATUS)?|STATUS", 8, None),
    (r"(?:NBC|CBRN)(?:\s+CONTAMINATION)?|CONTAMINATION", 9, "cbrn"),
    (r"TERRAIN(?:\s+DESCRIPTION)?", 9, "terrain"),
]
_LABEL = [(re.compile(rf"(?:{label})(?![\w/])\s*[:=\-]?\s*", re.IGNORECASE), line, hint)
          for label, line, hint in LABELS]
_NUMBERED = [
    re.compile(r"(?:LINE|LN)\s*(\d{1,2})(?!\d)\s*[:.)\-]?\s*", re.IGNORECASE),
    re.compile(r"L(\d)(?!\w)\s*[:.)\-]?\s*", re.IGNORECASE),
    re.compile(r"(\d{1,2})\s*[.):\-](?![\d.])\s*"),
]
_PREAMBLE = {"9", "9-LINE", "NINE", "NINE-LINE", "LINE", "MEDEVAC", "CASEVAC", "MEDICAL",
             "EVACUATION", "REQUEST", "REQ", "THIS", "IS", "OVER", "OUT"}
# Line content that means "not given" on the air.
NOT_GIVEN = {"", "-", "N/A", "NA", "UNK", "UNKNOWN", "TBD", "TBC"}


def _segments(text: str) -> list[str]:
    pieces = []
    for physical in text.splitlines():
        for group in re.split(r"\bBREAK\b", physical, flags=re.IGNORECASE):
            pieces.extend(re.split(r"(?=\b(?:LINE|LN)\s*\d)", group, flags=re.IGNORECASE))
    return [" ".join(piece.split()) for piece in pieces if piece.strip()]


def _marker(segment: str) -> tuple[int, str | None, str] | None:
    """(line number, wording hint, content) if the segment starts a line."""
    for pattern in _NUMBERED:
        if match := pattern.match(segment):
            number, rest = int(match.group(1)), segment[match.end():]
            labelled = _labelled(rest)
            if labelled and labelled[0] == number:  # "LINE 6 WOUNDS: ..." picks the wording
                return labelled
            return number, None, rest
    return _labelled(segment)


def _labelled(segment: str) -> tuple[int, str | None, str] | None:
    for pattern, line, hint in _LABEL:
        if match := pattern.match(segment):
            return line, hint, segment[match.end():]
    return None


def split_lines(text: str) -> tuple[dict[int, tuple[str, str | None]], list[LineProblem]]:
    """Group the text into {line number: (content, hint)}, noting what cannot be placed."""
    lines: dict[int, tuple[str, str | None]] = {}
    problems: list[LineProblem] = []
    current: int | None = None
    for segment in _segments(text):
        if current is None and not lines and set(segment.upper().split()) <= _PREAMBLE:
            continue  # "9-LINE MEDEVAC REQUEST" heading
        marked = _marker(segment)
        if marked is None:
            if current is not None:
                content, hint = lines[current]
                lines[current] = (f"{content} {segment}".strip(), hint)
            else:
                problems.append(LineProblem(line=None, field="text",
                                            message=f"cannot tell which line {segment[:40]!r} is"))
            continue
        number, hint, content = marked
        if not 1 <= number <= 9:
            problems.append(LineProblem(line=number, field="line",
                                        message=f"a 9-line has no line {number}"))
            current = None
        elif number in lines:
            problems.append(LineProblem(line=number, field="line", message="given twice"))
            current = None
        else:
            lines[number], current = (content, hint), number
    return lines, problems


def parse_text(text: str) -> NineLine:
    """Parse a radio-text 9-line; raises NineLineError listing every problem by line."""
    if len(text) > MAX_TEXT:
        raise NineLineError([LineProblem(line=None, field="text",
                                         message=f"longer than {MAX_TEXT} characters")])
    lines, problems = split_lines(text)
    fields: dict = {}
    for number in range(1, 10):
        content, hint = lines.get(number, ("", None))
        content = re.sub(r"\s*\b(?:OVER|OUT)\s*$", "", content, flags=re.IGNORECASE)
        if content.upper() in NOT_GIVEN:
            if number <= 5:
                problems.append(LineProblem(line=number, field=_FIELD[number], message="missing"))
            continue
        try:
            fields.update(READERS[number](content, hint))
        except Unreadable as error:
            problems.append(LineProblem(line=number, field=error.field, message=error.message))
    if problems:
        raise NineLineError(problems)
    return parse_structured(fields)


_FIELD = {1: "location", 2: "radio", 3: "precedence", 4: "special_equipment",
          5: "patients_by_type"}


def render_text(request: NineLine) -> str:
    """The request as radio text, one `LINE n:` per line; `parse_text` reads it back."""
    location = request.location
    position = location.grid or f"{location.lat:.6f}, {location.lon:.6f}"
    described = f" ({location.description})" if location.description else ""
    radio = " ".join(part for part in (
        f"FREQ {request.radio.frequency}" if request.radio.frequency else "",
        f"CALLSIGN {request.radio.call_sign}" if request.radio.call_sign else "") if part)
    rendered = [
        f"LINE 1: {position}{described}",
        f"LINE 2: {radio}",
        "LINE 3: " + " ".join(f"{code} {n}" for code, n in request.precedence if n),
        "LINE 4: " + " ".join(request.special_equipment),
        f"LINE 5: L {request.patients_by_type.litter} A {request.patients_by_type.ambulatory}",
    ]
    if request.security:
        rendered.append(f"LINE 6: {request.security}")
    elif request.wounds:
        rendered.append(f"LINE 6 WOUNDS: {request.wounds}")
    if request.marking:
        rendered.append(f"LINE 7: {request.marking.method} {request.marking.detail or ''}".rstrip())
    statuses = [f"{g.status} {g.count}" if g.count else g.status for g in request.nationality]
    if statuses or request.nationality_note:
        rendered.append("LINE 8: " + " ".join([*statuses, request.nationality_note or ""]).rstrip())
    if request.cbrn is not None:
        rendered.append("LINE 9 NBC: " + (" ".join(request.cbrn) or "NONE"))
    elif request.terrain:
        rendered.append(f"LINE 9 TERRAIN: {request.terrain}")
    return "\n".join(rendered) + "\n"
