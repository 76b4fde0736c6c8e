"""A 9-line as it goes over the air or a chat: segments, the call-up, and the procedure words.

- `BREAK` separates groups; `OVER` and `OUT` end a transmission.
- One-line messages put `/`, `;`, `|` or a comma between line markers (`L1 … / L2 …`).
- `X THIS IS Y` is the call-up: Y (the calling station) calls X.
- `CORRECTION` and `I SAY AGAIN` send part of a line again: the words after them replace the
  line from the last word that was right (ACP 125: "continue with the last word correctly
  transmitted"), or the whole line when that word was not sent before.
"""

import re

from medevac.dispatch.nineline.spoken import DIGITS, NUMBER_WORD, PHONETIC

LINE_NUMBER = rf"\d{{1,2}}(?!\d)|(?:{NUMBER_WORD})\b"
# A line marker as it may follow a separator in a one-line message.
_MARKER_AHEAD = rf"(?:(?:LINE|LN)\s*(?:{LINE_NUMBER})|L\d(?!\w)|\d{{1,2}}\s*[.):](?![\d.]))"
_SPLIT = re.compile(
    r"\bBREAK\b"  # groups
    r"|\b(?:OVER|OUT)\b(?=\s*(?:[/;|]|$))"  # the end of a transmission
    rf"|\s*[/;|,]\s*(?={_MARKER_AHEAD})"  # one-line separators between markers
    rf"|(?=\b(?:LINE|LN)\s*(?:{LINE_NUMBER}))",  # LINE n anywhere starts a line
    re.IGNORECASE)
PROWORD = re.compile(r"\b(?:CORRECTION|I\s+SAY\s+AGAIN)\b[\s,.:;]*", re.IGNORECASE)
_TRAILING_PROWORD = re.compile(rf"(?:{PROWORD.pattern})$", re.IGNORECASE)
_CALL_UP = re.compile(
    r"^(?:(?P<called>.*?)[\s,]+)?THIS\s+IS[\s,]+(?P<calling>.+?)"
    r"\s*(?=,|\bI\s+HAVE\b|\b(?:9|NINE)[\s-]?LINE|\bMEDEVAC\b|\bCASEVAC\b|\bREQUEST\b|$)(?P<rest>.*)$",
    re.IGNORECASE)
# Words of a heading or call-up that carry nothing for the request.
PREAMBLE = {"9", "9-LINE", "NINE", "NINE-LINE", "LINE", "LINER", "MEDEVAC", "CASEVAC", "MEDICAL",
            "EVACUATION", "REQUEST", "REQ", "THIS", "IS", "OVER", "OUT", "I", "HAVE", "A", "AN",
            "URGENT", "FOLLOWS", "MESSAGE", "FOR", "YOU", "READY", "TO", "COPY", "SEND"}


def segments(text: str) -> list[str]:
    """The text cut at line breaks, BREAK, OVER/OUT, one-line separators and line markers."""
    pieces = []
    for physical in text.splitlines():
        pieces.extend(_SPLIT.split(physical))
    return [" ".join(piece.split()) for piece in pieces if piece and piece.strip(" ,;/|")]


def is_preamble(segment: str) -> bool:
    return set(re.findall(r"[\w-]+", segment.upper())) <= PREAMBLE


def call_up(segment: str) -> tuple[str | None, str] | None:
    """(called station, calling station) if the segment is a call-up such as
    `WHITE WOLF X-RAY THIS IS WHITE WOLF 4, I HAVE A 9-LINE MEDEVAC REQUEST`."""
    match = _CALL_UP.match(segment)
    if match is None or not is_preamble(match["rest"]):
        return None
    said = [part.strip() for part in (match["called"] or "").split(",") if part.strip()]
    called = said[0] if len(set(said)) == 1 else ", ".join(said)  # "TUNAIR, TUNAIR, THIS IS …"
    return called or None, match["calling"].strip(" ,")


def ends_with_proword(segment: str) -> bool:
    """`… CORRECTION` with the corrected line still to come (`CORRECTION, LINE 3 …`)."""
    return _TRAILING_PROWORD.search(segment) is not None


def _canonical(word: str) -> str:
    word = word.upper().strip(",.;:")
    return DIGITS.get(word) or PHONETIC.get(word) or word


def resolve_corrections(content: str) -> str:
    """The line as finally meant: `2 ALPHA CORRECTION 3 ALPHA` -> `3 ALPHA`."""
    parts = PROWORD.split(content)
    words = parts[0].split()
    for part in parts[1:]:
        again = part.split()
        if not again:
            continue
        first = _canonical(again[0])
        restart = next((i for i in range(len(words) - 1, -1, -1) if _canonical(words[i]) == first), 0)
        words = words[:restart] + again
    return " ".join(words)
