"""Positions as operators write them: MGRS grid references and latitude/longitude (decimal, DMS).

MGRS conversion is the `mgrs` library's (GeoTrans); this module finds the reference in free
text, normalises it and checks ranges the library lets through (e.g. longitude 181).
"""

import re
from dataclasses import dataclass

import mgrs

_MGRS = mgrs.MGRS()
# Zone 1-60, latitude band (no I/O), 100 km square (no I/O), then 0-5 digits each of easting and
# northing, written together or apart.
_GRID_IN_TEXT = re.compile(
    r"(?<![\w.])(\d{1,2})\s?([C-HJ-NP-X])\s?([A-HJ-NP-Z]{2})((?:\s?\d){0,10})(?![\w.])",
    re.IGNORECASE,
)
_LATLON_TOKEN = re.compile(r"[NSEW]|[-+]?\d{1,12}(?:\.\d{1,12})?|[,;/]|\s+|[°º'′\"″]")


class GridError(ValueError):
    """A position that cannot be read or lies outside the globe."""


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    grid: str | None = None  # normalised MGRS when the position was given as one
    rest: str = ""  # text around the grid reference (e.g. a landing-zone name)


def check_range(lat: float, lon: float) -> None:
    if not -90 <= lat <= 90:
        raise GridError(f"latitude {lat} is outside -90..90")
    if not -180 <= lon <= 180:
        raise GridError(f"longitude {lon} is outside -180..180")


def normalise_mgrs(grid: str) -> str:
    """`33n vg 1234 5678` -> `33NVG12345678`; raises GridError if it is not a grid reference."""
    match = _GRID_IN_TEXT.fullmatch(grid.strip())
    if match is None:
        raise GridError(f"{grid.strip()!r} is not an MGRS grid reference")
    zone, band, square, digits = match.groups()
    digits = re.sub(r"\s", "", digits)
    if not 1 <= int(zone) <= 60:
        raise GridError(f"MGRS zone {int(zone)} is outside 1..60")
    if len(digits) % 2:
        raise GridError(f"MGRS easting and northing differ in precision: {digits!r}")
    return f"{int(zone):02d}{band}{square}{digits}".upper()


def mgrs_to_latlon(grid: str) -> tuple[float, float]:
    """South-west corner of the grid square, as the library returns it."""
    normalised = normalise_mgrs(grid)
    try:
        lat, lon = _MGRS.toLatLon(normalised)
    except Exception as error:  # mgrs raises a bare native MGRSError for an impossible square
        raise GridError(f"MGRS {normalised} does not exist ({error})") from None
    check_range(lat, lon)
    return lat, lon


def latlon_to_mgrs(lat: float, lon: float, precision: int = 5) -> str:
    check_range(lat, lon)
    return _MGRS.toMGRS(lat, lon, MGRSPrecision=precision)


def parse_latlon(text: str) -> tuple[float, float]:
    """Read `4.3612, 18.5542`, `N 4.3612 E 18.5542`, `4°21'40"N 18°33'15"E` or `4 21 40N 18 33 15E`."""
    lat_part, lon_part = _split_pair(text.upper())
    lat = _angle(lat_part, "NS", "latitude")
    lon = _angle(lon_part, "EW", "longitude")
    check_range(lat, lon)
    return lat, lon


def _split_pair(text: str) -> tuple[list[str], list[str]]:
    """Split tokens into the latitude and longitude halves (hemisphere letters or a separator)."""
    tokens, position = [], 0
    while position < len(text):
        match = _LATLON_TOKEN.match(text, position)
        if match is None:
            raise GridError(f"{text.strip()!r} is neither an MGRS grid nor a latitude/longitude")
        if not match.group().isspace() and match.group() not in "°º'′\"″":
            tokens.append(match.group())
        position = match.end()
    north = [i for i, t in enumerate(tokens) if t in ("N", "S")]
    east = [i for i, t in enumerate(tokens) if t in ("E", "W")]
    if north and east and len(north) == len(east) == 1 and north[0] < east[0]:
        n, e = north[0], east[0]
        if n == 0:  # prefix form: N 4.36 E 18.55
            return tokens[: e], tokens[e:]
        if e == len(tokens) - 1:  # suffix form: 4.36 N 18.55 E
            return tokens[: n + 1], tokens[n + 1:]
    if not north and not east:
        separators = [i for i, t in enumerate(tokens) if t in ",;/"]
        if len(separators) == 1:
            return tokens[: separators[0]], tokens[separators[0] + 1:]
        if not separators and len(tokens) in (2, 4, 6):  # DD, DM or DMS pairs
            half = len(tokens) // 2
            return tokens[:half], tokens[half:]
    raise GridError(f"{text.strip()!r} is neither an MGRS grid nor a latitude/longitude")


def _angle(tokens: list[str], hemispheres: str, name: str) -> float:
    shown = " ".join(tokens)
    letters = [t for t in tokens if t.isalpha()]
    numbers = [t for t in tokens if not t.isalpha()]
    if not 1 <= len(numbers) <= 3 or len(letters) > 1 or any(t in ",;/" for t in numbers):
        raise GridError(f"cannot read the {name} {shown!r}")
    if letters and letters[0] not in hemispheres:
        raise GridError(f"the {name} {shown!r} has the wrong hemisphere")
    signed = [i for i, n in enumerate(numbers) if n[0] in "+-"]
    if signed and (signed != [0] or letters):
        raise GridError(f"the {name} {shown!r} has a misplaced sign")
    negative = numbers[0].startswith("-") or (letters and letters[0] == hemispheres[1])
    degrees, minutes, seconds = (abs(float(n)) for n in [*numbers, "0", "0"][:3])
    if minutes >= 60 or seconds >= 60 or any("." in n for n in numbers[:-1]):
        raise GridError(f"the {name} {shown!r} is not degrees, minutes and seconds")
    value = degrees + minutes / 60 + seconds / 3600
    return -value if negative else value


def find_grid(text: str) -> re.Match | None:
    """The first MGRS reference in free text (with its zone)."""
    return _GRID_IN_TEXT.search(text)


def parse_position(text: str) -> Position:
    """Find an MGRS reference anywhere in the text, else read the whole text as lat/lon."""
    match = _GRID_IN_TEXT.search(text)
    if match is not None:
        grid = normalise_mgrs(match.group(0))
        lat, lon = mgrs_to_latlon(grid)
        rest = " ".join((text[: match.start()] + " " + text[match.end():]).split())
        return Position(lat, lon, grid, rest)
    lat, lon = parse_latlon(text)
    return Position(lat, lon)
