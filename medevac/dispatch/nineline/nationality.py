"""Line 8, patient nationality and status: letter codes (US and NATO) and a UN mission's own words.

The codes: A own military (US military; NATO/coalition military), B own civilian, C other
military or security forces, D other civilians, E enemy prisoner of war or detainee. A UN
mission says "UN military", "local civilian", ...: each maps to its code and is kept as the
group's `category`. UN police are mission members but not military: code B.
"""

import re
from typing import Any

from medevac.dispatch.nineline.errors import Unreadable
from medevac.dispatch.nineline.spoken import despeak
from medevac.vocabulary import CATEGORY_CODE

_TOKEN = re.compile(r"\d+|[A-Za-z]+|[,;/]")
SEPARATORS = {",", ";", "/"}

# A UN mission's words for each category (its code: models.CATEGORY_CODE).
UN_WORDS = {
    "un_military": ("UN MILITARY", "UN MIL", "UN TROOPS", "UN SOLDIER", "UN SOLDIERS", "PEACEKEEPER",
                    "PEACEKEEPERS", "BLUE HELMET", "BLUE HELMETS", "UN MILITARY OBSERVER"),
    "un_civilian": ("UN CIVILIAN", "UN CIVILIANS", "UN CIV", "UN STAFF", "UN CONTRACTOR", "UN CONTRACTORS"),
    "un_police": ("UN POLICE", "UN POL", "UNPOL", "FPU", "FORMED POLICE UNIT"),
    "local_military": ("LOCAL MILITARY", "LOCAL MIL", "LOCAL FORCES", "LOCAL SOLDIER", "LOCAL SOLDIERS",
                       "HOST NATION MILITARY", "HOST NATION FORCES", "NATIONAL ARMY", "FACA", "FAMA", "FARDC"),
    "local_civilian": ("LOCAL CIVILIAN", "LOCAL CIVILIANS", "LOCAL CIV", "LOCAL NATIONAL", "LOCAL NATIONALS",
                       "HOST NATION CIVILIAN", "HOST NATION CIVILIANS"),
    "non_un_military": ("NON-UN MILITARY", "NON-UN MIL", "NON-UN FORCES", "NON-UN TROOPS"),
    "detainee": ("DETAINEE", "DETAINEES", "DETAINED"),
}
# US and NATO wordings of the codes (no UN category).
CODE_WORDS = {
    "A": ("US MILITARY", "US MIL", "COALITION MILITARY", "NATO MILITARY"),
    "B": ("US CIVILIAN", "US CIV", "COALITION CIVILIAN", "CIVILIAN WITH COALITION FORCES"),
    "C": ("NON-US MILITARY", "NON-US MIL", "NON-COALITION MILITARY", "NON-COALITION SECURITY FORCES",
          "NON-COALITION FORCES"),
    "D": ("NON-US CIVILIAN", "NON-US CIV", "NON-COALITION CIVILIAN"),
    "E": ("EPW", "POW", "PW", "PRISONER", "PRISONERS", "ENEMY PRISONER OF WAR", "OPPOSING FORCES"),
}
SAY_CATEGORY = {category: words[0] for category, words in UN_WORDS.items()}
VOCABULARY = [(tuple(_TOKEN.findall(phrase.replace("-", " "))), CATEGORY_CODE[category], category)
              for category, phrases in UN_WORDS.items() for phrase in phrases]
VOCABULARY += [(tuple(_TOKEN.findall(phrase.replace("-", " "))), code, None) for code, phrases in CODE_WORDS.items() for phrase in phrases]
_PHRASES = sorted(VOCABULARY, key=lambda entry: len(entry[0]), reverse=True)
STATUS_HELP = "give A-E or the status in words, e.g. '2 UN MILITARY 1 LOCAL CIVILIAN'"


def _phrase_at(words: list[str], i: int) -> tuple[str, str | None, int] | None:
    for phrase, code, category in _PHRASES:
        if tuple(words[i:i + len(phrase)]) == phrase:
            return code, category, len(phrase)
    return None


def _status_at(words: list[str], i: int) -> tuple[str, str | None, int] | None:
    """(code, category, words used) if a status begins at word i."""
    if found := _phrase_at(words, i):
        return found
    word = words[i] if i < len(words) else ""
    if len(word) == 1 and word.isalpha():
        if word not in "ABCDE":
            raise Unreadable("nationality", f"unknown nationality/status code {word!r}")
        return word, None, 1
    return None


def _count_at(words: list[str], i: int) -> tuple[int, int] | None:
    """(count, words used): `2`, `2 X` (two times)."""
    if i < len(words) and words[i].isdigit() and len(words[i]) <= 3 and int(words[i]) > 0:
        return int(words[i]), 2 if i + 1 < len(words) and words[i + 1] == "X" else 1
    return None


def read_nationality(content: str, hint: str | None) -> dict[str, Any]:
    """`C 2 D 1`, `2 C`, `ONE ALPHA`, `1 UN MILITARY 1 LOCAL CIVILIAN`, then a free-text note."""
    written = despeak(content)
    matches = list(_TOKEN.finditer(written.text))
    words = [m.group().upper() for m in matches]
    groups: list[dict[str, Any]] = []
    i = 0
    while i < len(words):
        start = i
        while start < len(words) and words[start] in SEPARATORS:
            start += 1
        count = _count_at(words, start)
        status = _status_at(words, start + count[1]) if count else _status_at(words, start)
        if status is None:
            break
        code, category, used = status
        i = start + (count[1] if count else 0) + used
        if count is None and (after := _count_at(words, i)):  # `C 2`; not `ALPHA, 1 CHARLIE`
            count, i = after, i + after[1]
        groups.append({"status": code, **({"count": count[0]} if count else {}),
                       **({"category": category} if category else {})})
    note = ""
    if i < len(words):
        start, _ = written.sent_span(matches[i].start(), matches[i].end())
        note = content[start:].strip(" ,;/-")
    if not groups:
        raise Unreadable("nationality", f"cannot read {content.strip()!r} as a status: {STATUS_HELP}")
    if any(_phrase_at(words, j) for j in range(i, len(words))):
        raise Unreadable("nationality", f"cannot tell the status of {note!r}: {STATUS_HELP}")
    return {"nationality": groups, "nationality_note": note or None}
