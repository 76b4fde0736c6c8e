"""Readers for the content of each radio 9-line line, brevity codes and plain words alike.

Each reader takes the text after the line marker and returns the NineLine fields it fills, or
raises `Unreadable` with a message that the caller files under that line.
"""

import re
from typing import Any

from medevac.dispatch.nineline.errors import Unreadable
from medevac.dispatch.nineline.nationality import read_nationality
from medevac.dispatch.nineline.spoken import despeak, letter_of
from medevac.grid import GridError, find_grid, parse_latlon
from medevac.grid_zone import find_zoneless


# Words operators use for the codes, longest first so "URGENT SURGICAL" wins over "URGENT".
PRECEDENCE_WORDS = {
    "URGENT SURGICAL": "B", "URGENT-SURGICAL": "B", "URGENT SURG": "B", "URG SURG": "B",
    "SURGICAL": "B", "URGENT": "A", "URG": "A", "PRIORITY": "C", "PRI": "C",
    "ROUTINE": "D", "RTN": "D", "CONVENIENCE": "E", "CONV": "E",
}
TYPE_WORDS = {"WALKING WOUNDED": "A", "AMBULATORY": "A", "WALKING": "A", "AMB": "A",
              "LITTERS": "L", "LITTER": "L", "STRETCHERS": "L", "STRETCHER": "L", "LIT": "L"}
EQUIPMENT_WORDS = {"EXTRACTION EQUIPMENT": "C", "JUNGLE PENETRATOR": "C", "EXTRACTION": "C",
                   "NONE": "A", "NIL": "A", "HOIST": "B", "VENTILATOR": "D", "VENT": "D"}
SECURITY_PHRASES = (("ARMED ESCORT", "X"), ("ESCORT REQUIRED", "X"), ("POSSIBLE ENEMY", "P"),
                    ("NO ENEMY", "N"), ("ENEMY IN AREA", "E"), ("ENEMY TROOPS IN AREA", "E"),
                    ("CAUTION", "E"), ("COLD", "N"), ("HOT", "E"))
MARKING_WORDS = {"PANELS": "A", "PANEL": "A", "VS-17": "A", "PYROTECHNIC": "B", "PYRO": "B",
                 "FLARE": "B", "SMOKE": "C", "NONE": "D", "OTHER": "E", "STROBE": "E", "IR": "E",
                 "MIRROR": "E"}
CBRN_WORDS = {"NUCLEAR": "N", "NUC": "N", "BIOLOGICAL": "B", "BIO": "B", "CHEMICAL": "C",
              "CHEM": "C", "RADIOLOGICAL": "R", "RAD": "R", "N": "N", "B": "B", "C": "C", "R": "R"}
CBRN_NONE = {"NONE", "NIL", "NEG", "NEGATIVE", "NO"}
CBRN_FILLER = {"NBC", "CBRN", "CONTAMINATION"}
FILLER = {"AND", "PAX", "PATIENT", "PATIENTS", "PT", "PTS", "X", "EQUIPMENT", "REQUIRED", "REQ"}
_CALL_SIGN_LABEL = re.compile(r"\b(?:CALL\s*-?\s*SIGN|C/S)\b\s*[:=]?", re.IGNORECASE)
_FREQUENCY = re.compile(r"\s*(?P<f>\d{1,4}(?:\.\d{1,5})?(?:\s*[MK]HZ)?)(?![\w.])\s*[/,;]?\s*",
                        re.IGNORECASE)


def _words_to_codes(text: str, words: dict[str, str]) -> str:
    text = text.upper()
    for phrase in sorted(words, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Z-]){re.escape(phrase)}(?![A-Z-])", f" {words[phrase]} ", text)
    return re.sub(r"(\d)X(?=[A-Z])", r"\1 ", text)  # "2XA" = two times A


def _tokens(text: str) -> list[str]:
    tokens = re.findall(r"\d+|[A-Z]+(?:-[A-Z]+)*|[^\sA-Z\d]", text)
    return [t for t in tokens if t not in FILLER and not re.fullmatch(r"[^\w]", t)]


def read_counts(content: str, codes: str, words: dict[str, str], field: str,
                noun: str) -> dict[str, int]:
    """`A 2 B 1`, `2A 1B`, `2 x URGENT, 1 PRIORITY`, `A-2/B-1`: counts by code."""
    tokens = _tokens(_words_to_codes(despeak(content).text, words))
    for token in tokens:
        if token.isalpha() and len(token) == 1 and token not in codes:
            raise Unreadable(field, f"unknown {noun} code {token!r}")
        if not token.isdigit() and token not in codes:
            raise Unreadable(field, f"cannot read {token!r} as a {noun}")
        if token.isdigit() and len(token) > 3:
            raise Unreadable(field, f"{token} patients is not a plausible count")
    pairs = list(zip(tokens[::2], tokens[1::2]))
    number_first = bool(tokens) and tokens[0].isdigit()
    if len(tokens) % 2 or not pairs or any(
            (a.isdigit(), b.isdigit()) != (number_first, not number_first) for a, b in pairs):
        raise Unreadable(field, f"give a count for each {noun}, e.g. '{codes[0]} 1 {codes[1]} 2'")
    counts: dict[str, int] = {}
    for a, b in pairs:
        code, count = (b, a) if number_first else (a, b)
        counts[code] = counts.get(code, 0) + int(count)
    return counts


_ZONE_ASSUMED = re.compile(r"[,;]?\s*\bZONE\s+ASSUMED\b[,;]?", re.IGNORECASE)
# A pause read as a comma between the easting and the northing: "1234, 5678" (same length).
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\s*\d)")


def _grid_in(position_text: str) -> tuple[str, str, bool] | None:
    """(grid, the text around it as sent, zone given) for a spoken or written grid reference."""
    written = despeak(position_text, join_letters=True)
    searchable = _DIGIT_COMMA.sub(" ", written.text)
    for finder, zoned in ((find_grid, True), (find_zoneless, False)):
        if match := finder(searchable):
            start, end = written.sent_span(match.start(), match.end())
            return re.sub(r"\s", "", match.group()).upper(), f"{position_text[:start]} {position_text[end:]}", zoned
    return None


def read_location(content: str, hint: str | None) -> dict[str, Any]:
    """A grid (`34N FN 1234 5678`, spoken, or without its zone) or lat/lon, then a description."""
    described = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", content, re.DOTALL)
    position_text, description = described.groups() if described else (content, "")
    assumed = bool(_ZONE_ASSUMED.search(position_text))
    position_text = _ZONE_ASSUMED.sub(" ", position_text)
    if found := _grid_in(position_text):
        grid, rest, zoned = found
        rest = " ".join(f"{rest} {description}".strip(" ,;").split()) or None
        return {"location": {"grid": grid, "zone_assumed": assumed or not zoned, "description": rest}}
    try:
        lat, lon = parse_latlon(despeak(position_text).text)
    except GridError as error:
        raise Unreadable("location", str(error)) from None
    return {"location": {"lat": lat, "lon": lon, "description": " ".join(description.split()) or None}}


def spoken_call_sign(text: str) -> str:
    """`WHITE WOLF FOUR` -> `WHITE WOLF 4`: call signs are written with figures."""
    return despeak(text, letters=False).text.strip(" ,;/")


def read_radio(content: str, hint: str | None) -> dict[str, Any]:
    """`38.90 DUSTOFF 6`, `FREQ 38.90 CALLSIGN DUSTOFF 6`, `45.5 MHZ / WARHORSE 21`, spoken figures."""
    content = despeak(content, letters=False).text
    labelled = _CALL_SIGN_LABEL.search(content)
    if labelled:
        frequency, call_sign = content[: labelled.start()], content[labelled.end():]
    elif hint == "frequency":
        frequency, call_sign = content, ""
    elif hint == "call_sign":
        frequency, call_sign = "", content
    elif match := _FREQUENCY.match(content):
        frequency, call_sign = match["f"], content[match.end():]
    else:
        frequency, call_sign = "", content
    return {"radio": {"frequency": frequency.strip(" ,;/") or None, "call_sign": call_sign.strip(" ,;/") or None}}


def read_precedence(content: str, hint: str | None) -> dict[str, Any]:
    counts = read_counts(content, "ABCDE", PRECEDENCE_WORDS, "precedence", "precedence")
    return {"precedence": counts}


def read_equipment(content: str, hint: str | None) -> dict[str, Any]:
    codes = []
    for token in _tokens(_words_to_codes(despeak(content).text, EQUIPMENT_WORDS)):
        if len(token) == 1 and token in "ABCD":
            codes.append(token)
        elif token.isalpha() and len(token) == 1:
            raise Unreadable("special_equipment", f"unknown special equipment code {token!r}")
        else:
            raise Unreadable("special_equipment", f"cannot read {token!r} as special equipment")
    if not codes:
        raise Unreadable("special_equipment", "no special equipment code (A if none)")
    return {"special_equipment": codes}


def read_patient_type(content: str, hint: str | None) -> dict[str, Any]:
    counts = read_counts(content, "LA", TYPE_WORDS, "patients_by_type", "patient type")
    return {"patients_by_type": {"litter": counts.get("L", 0), "ambulatory": counts.get("A", 0)}}


def read_security_or_wounds(content: str, hint: str | None) -> dict[str, Any]:
    """US line 6 is security at the pickup site; the NATO/peacetime line 6 describes wounds."""
    if hint == "wounds":
        return {"wounds": content}
    words = content.upper().split()
    first = letter_of(words[0]) if words else None
    if first:
        if first not in "NPEX":
            raise Unreadable("security", f"unknown security code {first!r}")
        return {"security": first}
    spaced = " ".join(words)
    # Unlabelled, only text that opens with a security phrase is security: peacetime wounds
    # such as "BURNS FROM HOT OIL" are not.
    if hint == "security" or any(spaced.startswith(phrase) for phrase, _ in SECURITY_PHRASES):
        for phrase, code in SECURITY_PHRASES:
            if re.search(rf"\b{phrase}\b", spaced):
                return {"security": code}
    if hint == "security":
        raise Unreadable("security", f"cannot read {content!r} as N, P, E or X")
    return {"wounds": content}


def read_marking(content: str, hint: str | None) -> dict[str, Any]:
    words = content.split()
    first = words[0].upper().strip(".:-,") if words else ""
    if code := letter_of(first):
        if code not in "ABCDE":
            raise Unreadable("marking", f"unknown marking code {code!r}")
        return {"marking": {"method": code, "detail": " ".join(words[1:]).strip(" ,;") or None}}
    if first in MARKING_WORDS:
        return {"marking": {"method": MARKING_WORDS[first], "detail": " ".join(words[1:]) or None}}
    for word in (w.upper().strip(".:-,") for w in words):
        if word in MARKING_WORDS:
            return {"marking": {"method": MARKING_WORDS[word], "detail": content}}
    raise Unreadable("marking", f"cannot read {content!r} as a marking (A-E)")


def read_cbrn_or_terrain(content: str, hint: str | None) -> dict[str, Any]:
    """US line 9 is NBC/CBRN contamination; the NATO/peacetime line 9 describes the terrain."""
    if hint == "terrain":
        return {"terrain": content}
    tokens = [t.strip(".:-,;/") for t in content.upper().split()]
    tokens = [letter_of(t) or t for t in tokens if t and t not in CBRN_FILLER]
    if tokens and all(t in CBRN_WORDS or t in CBRN_NONE for t in tokens):
        return {"cbrn": [CBRN_WORDS[t] for t in tokens if t in CBRN_WORDS]}
    if hint == "cbrn":
        unknown = next(t for t in tokens if t not in CBRN_WORDS and t not in CBRN_NONE) \
            if tokens else content
        raise Unreadable("cbrn", f"unknown CBRN code {unknown!r}")
    return {"terrain": content}


READERS = {1: read_location, 2: read_radio, 3: read_precedence, 4: read_equipment,
           5: read_patient_type, 6: read_security_or_wounds, 7: read_marking,
           8: read_nationality, 9: read_cbrn_or_terrain}
