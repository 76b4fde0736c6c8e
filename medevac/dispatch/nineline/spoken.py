"""Radio speech as operators type it: the NATO phonetic alphabet and numbers in words, and back.

`despeak` turns what was heard into the written form the line readers know ("TREE EIGHT DECIMAL
NINER ZERO" -> "38.90", "TWO BRAVO" -> "2 B") and keeps a map to the text as typed, so that
free text around a grid (a landing-zone name such as "LZ ECHO") stays as it was sent.
"""

import re
from dataclasses import dataclass

PHONETIC = {
    "ALPHA": "A", "ALFA": "A", "BRAVO": "B", "CHARLIE": "C", "DELTA": "D", "ECHO": "E",
    "FOXTROT": "F", "GOLF": "G", "HOTEL": "H", "INDIA": "I", "JULIET": "J", "JULIETT": "J",
    "KILO": "K", "LIMA": "L", "MIKE": "M", "NOVEMBER": "N", "OSCAR": "O", "PAPA": "P",
    "QUEBEC": "Q", "ROMEO": "R", "SIERRA": "S", "TANGO": "T", "UNIFORM": "U", "VICTOR": "V",
    "WHISKEY": "W", "WHISKY": "W", "X-RAY": "X", "XRAY": "X", "YANKEE": "Y", "ZULU": "Z",
}
SAY_LETTER = {letter: word for word, letter in PHONETIC.items()
              if word not in ("ALFA", "JULIETT", "WHISKY", "XRAY")}
# Digits as spoken (ACP 125 and ICAO forms beside the plain words).
DIGITS = {"ZERO": "0", "ONE": "1", "WUN": "1", "TWO": "2", "TOO": "2", "THREE": "3", "TREE": "3",
          "FOUR": "4", "FOWER": "4", "FIVE": "5", "FIFE": "5", "SIX": "6", "SEVEN": "7",
          "EIGHT": "8", "AIT": "8", "NINE": "9", "NINER": "9"}
SAY_DIGIT = ("ZERO", "ONE", "TWO", "TREE", "FOWER", "FIFE", "SIX", "SEVEN", "EIGHT", "NINER")
TEENS = {"TEN": 10, "ELEVEN": 11, "TWELVE": 12, "THIRTEEN": 13, "FOURTEEN": 14, "FIFTEEN": 15,
         "SIXTEEN": 16, "SEVENTEEN": 17, "EIGHTEEN": 18, "NINETEEN": 19}
TENS = {"TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FIFTY": 50, "SIXTY": 60, "SEVENTY": 70,
        "EIGHTY": 80, "NINETY": 90}
DECIMAL = {"DECIMAL", "DAY-SEE-MAL", "POINT"}
FILLER = {"FIGURES"}  # the old proword before numbers: "FIGURES TWO ONE"
NUMBER_WORD = "|".join(sorted((*DIGITS, *TEENS), key=len, reverse=True))
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class _Piece:
    kind: str  # digit, number (TEN-NINETY), suffix (TWO-SIX), decimal, letter, filler, typed
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Despoken:
    """The written form of a spoken text, and where each part of it was in the text as sent."""

    text: str
    runs: tuple[tuple[int, int, int, int], ...]  # (written start, end, sent start, end)

    def sent_span(self, start: int, end: int) -> tuple[int, int]:
        return self._sent(start, end=False), self._sent(end, end=True)

    def _sent(self, position: int, *, end: bool) -> int:
        shift = 0
        for out_start, out_end, src_start, src_end in self.runs:
            if position < out_start or (end and position == out_start):
                break
            if position < out_end:
                return src_end if end else src_start
            shift = src_end - out_end
        return position + shift


def _pieces(text: str, letters: bool) -> list[_Piece]:
    pieces = []
    for match in _WORD.finditer(text):
        word = match.group().upper()
        if word in DIGITS:
            kind, value = "digit", DIGITS[word]
        elif "-" in word and all(part in DIGITS for part in word.split("-")):
            kind, value = "suffix", "-".join(DIGITS[part] for part in word.split("-"))  # TWO-SIX = 2-6
        elif word in TEENS or word in TENS:
            kind, value = "number", str(TEENS.get(word) or TENS[word])
        elif word in DECIMAL:
            kind, value = "decimal", "."
        elif letters and word in PHONETIC:
            kind, value = "letter", PHONETIC[word]
        elif word in FILLER:
            kind, value = "filler", ""
        elif word[0].isdigit():
            kind, value = "typed", match.group()
        else:
            continue
        pieces.append(_Piece(kind, value, match.start(), match.end()))
    return pieces


def _adjacent(text: str, left: _Piece, right: _Piece) -> bool:
    return not text[left.end:right.start].strip()


def _number(text: str, pieces: list[_Piece], i: int) -> tuple[str, int]:
    """The number that starts at piece i, and the index after it: `TREE EIGHT` = 38, `TWENTY ONE`
    = 21, `TREE EIGHT DECIMAL NINER ZERO` = 38.90."""
    value, j = pieces[i].text, i + 1
    while j < len(pieces) and _adjacent(text, pieces[j - 1], pieces[j]):
        before, nxt = pieces[j - 1], pieces[j]
        if nxt.kind == "digit" and before.kind == "digit":
            value += nxt.text
        elif nxt.kind == "digit" and before.kind == "number" and int(value) in TENS.values():
            value = str(int(value) + int(nxt.text))
        elif (nxt.kind == "decimal" and "." not in value and j + 1 < len(pieces)
              and pieces[j + 1].kind in ("digit", "typed") and _adjacent(text, nxt, pieces[j + 1])):
            value += "." + pieces[j + 1].text
            j += 1
        else:
            break
        j += 1
    return value, j


def _runs(text: str, pieces: list[_Piece], join_letters: bool) -> list[tuple[str, int, int]]:
    """What replaces each run of spoken pieces: (written value, sent start, sent end)."""
    runs: list[tuple[str, int, int]] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if piece.kind in ("digit", "number", "typed"):
            value, j = _number(text, pieces, i)
            if piece.kind == "typed" and j == i + 1:
                i = j  # figures as typed stay as they are
                continue
        elif piece.kind == "letter" and join_letters:  # FOXTROT NOVEMBER = FN
            value, j = piece.text, i + 1
            while j < len(pieces) and pieces[j].kind == "letter" and _adjacent(text, pieces[j - 1], pieces[j]):
                value, j = value + pieces[j].text, j + 1
        elif piece.kind == "decimal":
            i += 1  # "POINT" with no number beside it is a word ("RALLY POINT")
            continue
        else:
            value, j = piece.text, i + 1
        runs.append((value, piece.start, pieces[j - 1].end))
        i = j
    return runs


def despeak(text: str, *, letters: bool = True, join_letters: bool = False) -> Despoken:
    """Number words to digits and (with `letters`) phonetic words to their letters."""
    runs = _runs(text, _pieces(text, letters), join_letters)
    out, mapped, position = [], [], 0
    written = 0
    for value, start, end in runs:
        out.append(text[position:start])
        written += start - position
        mapped.append((written, written + len(value), start, end))
        out.append(value)
        written += len(value)
        position = end
    out.append(text[position:])
    return Despoken("".join(out), tuple(mapped))


def letter_of(word: str) -> str | None:
    """The letter a code word stands for: `C`, `c.` or `CHARLIE`; None if it is not one."""
    word = word.upper().strip(".:-,;/")
    if len(word) == 1 and word.isalpha():
        return word
    return PHONETIC.get(word)


def say_letters(letters: str) -> str:
    return " ".join(SAY_LETTER[c] for c in letters.upper())


def say_number(number: str) -> str:
    """`38.90` -> `TREE EIGHT DECIMAL NINER ZERO`: figure by figure, as on the air."""
    return " ".join("DECIMAL" if c == "." else SAY_DIGIT[int(c)] for c in number)


def say_digits_in(text: str) -> str:
    """Every group of figures in free text read out (`DUSTOFF 6` -> `DUSTOFF SIX`)."""
    return re.sub(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])", lambda m: say_number(m.group()), text)
