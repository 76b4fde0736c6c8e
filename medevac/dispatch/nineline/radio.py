"""The radio text form of the 9-line, as operators type or hear it, and back.

Lines are introduced by a number (`LINE 3`, `LINE TREE`, `L3`, `3.`, `3)`, `3:`) or a label
(`PRECEDENCE`, `FREQ/CALLSIGN`, `SECURITY`, `TERRAIN`, ...); text without a marker continues the
line above. Procedure words, the call-up and one-line separators: transmission.py; the phonetic
alphabet and spoken numbers: spoken.py. MIST-AT notes travel in the structured form only.
"""

import re
from dataclasses import dataclass, field

from medevac.dispatch.nineline import transmission
from medevac.dispatch.nineline.errors import LineProblem, NineLineError, Unreadable
from medevac.dispatch.nineline.lines import READERS, spoken_call_sign
from medevac.dispatch.nineline.models import NineLine, parse_structured
from medevac.dispatch.nineline.nationality import SAY_CATEGORY
from medevac.dispatch.nineline.spoken import DIGITS, SAY_DIGIT, TEENS, say_digits_in, say_letters, say_number

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
    re.compile(rf"(?:LINE|LN)\s*({transmission.LINE_NUMBER})\s*[:.)\-,]?\s*", re.IGNORECASE),
    re.compile(r"L(\d)(?!\w)\s*[:.)\-,]?\s*", re.IGNORECASE),
    re.compile(r"(\d{1,2})\s*[.):\-](?![\d.])\s*"),
]
# Line content that means "not given" on the air.
NOT_GIVEN = {"", "-", "N/A", "NA", "UNK", "UNKNOWN", "TBD", "TBC"}


def _number(marked: str) -> int:
    marked = marked.upper()
    return int(DIGITS.get(marked) or TEENS.get(marked) or marked)


def _marker(segment: str) -> tuple[int, str | None, str] | None:
    """(line number, wording hint, content) if the segment starts a line."""
    for pattern in _NUMBERED:
        if match := pattern.match(segment):
            number, rest = _number(match.group(1)), segment[match.end():]
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


@dataclass
class Transmission:
    """The lines of one 9-line as {number: (content, hint)}, its call-up and what cannot be placed."""

    lines: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    problems: list[LineProblem] = field(default_factory=list)
    stations: dict[str, str] = field(default_factory=dict)  # calling_station, called_station


def _heading(segment: str, found: Transmission) -> bool:
    """A call-up or a "9-LINE MEDEVAC REQUEST" heading before line 1: kept or skipped."""
    if transmission.is_preamble(segment):
        return True
    stations = transmission.call_up(segment)
    if stations is None:
        return False
    called, calling = stations
    found.stations["calling_station"] = spoken_call_sign(calling)
    if called:
        found.stations["called_station"] = spoken_call_sign(called)
    return True


def split_lines(text: str) -> Transmission:
    """Group the text into lines, keeping the call-up and noting what cannot be placed."""
    found = Transmission()
    lines, problems = found.lines, found.problems
    current: int | None = None
    again = False  # the segment before ended in CORRECTION / I SAY AGAIN
    for segment in transmission.segments(text):
        amends, again = again, transmission.ends_with_proword(segment)
        if current is None and not lines and _heading(segment, found):
            continue
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
        elif number in lines and not amends and lines[number][0] != content:
            problems.append(LineProblem(line=number, field="line", message=(
                "given twice; say CORRECTION before a line sent again")))
            current = None
        else:  # the corrected (or repeated) line replaces the first
            lines[number], current = (content, hint), number
    return found


def _content(raw: str) -> str:
    content = transmission.resolve_corrections(raw).strip(" ,;|/")
    content = re.sub(r"[\s,]*\b(?:HOW\s+(?:DO\s+YOU\s+)?COPY\??|OVER|OUT)\s*$", "", content, flags=re.IGNORECASE)
    return content.strip(" ,;|/")


def parse_text(text: str, area: list[tuple[float, float]] | None = None) -> NineLine:
    """Parse a radio-text 9-line; raises NineLineError listing every problem by line.

    `area`: the places the mission works from, to place a grid sent without its zone.
    """
    if len(text) > MAX_TEXT:
        raise NineLineError([LineProblem(line=None, field="text",
                                         message=f"longer than {MAX_TEXT} characters")])
    found = split_lines(text)
    lines, problems = found.lines, found.problems
    fields: dict = dict(found.stations)
    for number in range(1, 10):
        content, hint = lines.get(number, ("", None))
        content = _content(content)
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
    return parse_structured(fields, area)


_FIELD = {1: "location", 2: "radio", 3: "precedence", 4: "special_equipment",
          5: "patients_by_type"}


class _Voice:
    """How a value is put on the net: written (`LINE 3: A 1`) or spoken (`LINE TREE, ONE ALPHA`)."""

    def __init__(self, spoken: bool) -> None:
        self.spoken = spoken

    def line(self, number: int, content: str, label: str = "") -> str:
        if self.spoken:
            return f"LINE {SAY_DIGIT[number]}, " + (f"{label}, " if label else "") + content
        return f"LINE {number}{' ' + label if label else ''}: {content}"

    def code(self, letters: str) -> str:
        return say_letters(letters) if self.spoken else letters

    def number(self, figures: str | int) -> str:
        return say_number(str(figures)) if self.spoken else str(figures)

    def free(self, text: str) -> str:
        return say_digits_in(text) if self.spoken else text

    def counts(self, pairs: list[tuple[str, int]]) -> str:
        """Patients by code: `A 1 B 2` written, `ONE ALPHA, TWO BRAVO` spoken."""
        if self.spoken:
            return ", ".join(f"{self.number(n)} {self.code(code)}" for code, n in pairs if n)
        return " ".join(f"{code} {n}" for code, n in pairs if n)


def _location(request: NineLine, say: _Voice) -> str:
    location = request.location
    if location.grid:
        zone, square, digits = location.grid[:3], location.grid[3:5], location.grid[5:]
        half = len(digits) // 2
        position = (f"{say.number(zone[:2])} {say.code(zone[2] + square)} {say.number(digits[:half])} "
                    f"{say.number(digits[half:])}".rstrip() if say.spoken else location.grid)
        position += " ZONE ASSUMED" if location.zone_assumed else ""
    elif say.spoken:  # degrees as few figures as they need, the hemisphere in letters
        lat, lon = (f"{abs(value):.6f}".rstrip("0").rstrip(".") for value in (location.lat, location.lon))
        position = (f"{say.number(lat)} {say.code('N' if location.lat >= 0 else 'S')} "
                    f"{say.number(lon)} {say.code('E' if location.lon >= 0 else 'W')}")
    else:
        position = f"{location.lat:.6f}, {location.lon:.6f}"
    described = f" ({location.description})" if location.description else ""
    return say.line(1, f"{position}{described}", "GRID" if say.spoken and location.grid else "")


def _radio(request: NineLine, say: _Voice) -> str:
    frequency, call_sign = request.radio.frequency, request.radio.call_sign
    parts = [f"{'FREQUENCY' if say.spoken else 'FREQ'} {say.free(frequency)}" if frequency else "",
             f"{'CALL SIGN' if say.spoken else 'CALLSIGN'} {say.free(call_sign)}" if call_sign else ""]
    return say.line(2, (", " if say.spoken else " ").join(part for part in parts if part))


def _nationality(request: NineLine, say: _Voice) -> str | None:
    groups = []
    for group in request.nationality:
        status = SAY_CATEGORY[group.category] if group.category else say.code(group.status)
        if group.count is None:
            groups.append(status)
        else:  # count first when spoken ("TWO ALPHA"), after the code when written ("A 2")
            groups.append(f"{say.number(group.count)} {status}" if say.spoken else f"{status} {group.count}")
    if not groups:
        return None
    note = [request.nationality_note] if request.nationality_note else []
    return say.line(8, (", " if say.spoken else " ").join([*groups, *note]))


def render_text(request: NineLine, *, spoken: bool = False) -> str:
    """The request as radio text; `parse_text` reads both forms back.

    Written: one `LINE n:` per line. Spoken (the read-back): the call-up, then each line as said
    on the net with the phonetic alphabet and figures in words, lines 1-5 first, BREAK between
    lines and OVER at the end; free text (descriptions, wounds, terrain, notes) as it was sent.
    """
    say = _Voice(spoken)
    rendered = []
    if request.calling_station:
        called = f"{request.called_station} " if request.called_station else ""
        rendered.append(f"{called}THIS IS {say.free(request.calling_station)}, I HAVE A 9-LINE MEDEVAC REQUEST")
    rendered += [
        _location(request, say),
        _radio(request, say),
        say.line(3, say.counts(list(request.precedence))),
        say.line(4, (", " if spoken else " ").join(say.code(code) for code in request.special_equipment)),
        say.line(5, say.counts([("L", request.patients_by_type.litter), ("A", request.patients_by_type.ambulatory)])
                 if spoken else f"L {request.patients_by_type.litter} A {request.patients_by_type.ambulatory}"),
    ]
    if request.security:
        rendered.append(say.line(6, say.code(request.security)))
    elif request.wounds:
        rendered.append(say.line(6, request.wounds, "WOUNDS"))
    if request.marking:
        detail = f"{', ' if spoken else ' '}{request.marking.detail}" if request.marking.detail else ""
        rendered.append(say.line(7, say.code(request.marking.method) + detail))
    if nationality := _nationality(request, say):
        rendered.append(nationality)
    if request.cbrn is not None:
        rendered.append(say.line(9, (", " if spoken else " ").join(say.code(c) for c in request.cbrn) or "NONE", "NBC"))
    elif request.terrain:
        rendered.append(say.line(9, request.terrain, "TERRAIN"))
    if spoken:
        return ", BREAK\n".join(rendered) + ", OVER\n"
    return "\n".join(rendered) + "\n"
