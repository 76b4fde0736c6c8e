"""Grid references sent without their zone (`FN 1234 5678`), placed by the mission's area.

Units whose SOP leaves out the grid zone send only the 100 km square and the digits. The square
letters repeat every three zones east-west and every 2,000 km north-south, so within a mission's
area they usually name one place: the square of that name in one of the area's zones (or their
neighbours) that lies near a place the mission works from. Two or more such places: the grid is
refused with all of them, so the operator can ask for the zone.
"""

import re
import warnings
from collections.abc import Iterable

from medevac.geo import distance_km
from medevac.grid import GridError, latlon_to_mgrs, mgrs_to_latlon

NEAR_KM = 500.0  # farther than any pickup from its mission's facilities and bases; well under the
#                  2,000 km (north-south) and ~2,000 km (east-west) at which square letters repeat
BANDS = "CDEFGHJKLMNPQRSTUVWX"
_ZONELESS = re.compile(r"(?<![\w.])([A-HJ-NP-Z][A-HJ-NP-V])\s?((?:\s?\d){4,10})(?![\w.])", re.IGNORECASE)
_ZONELESS_GRID = re.compile(r"[A-HJ-NP-Z][A-HJ-NP-V](?:\d\d){2,5}")

Place = tuple[float, float]


class ZoneMissing(GridError):
    """A grid without its zone and no mission area to place it (the caller may supply one)."""


def find_zoneless(text: str) -> re.Match | None:
    """A 100 km square and an even number (4-10) of digits: `FN 1234 5678`, `FN12345678`."""
    match = _ZONELESS.search(text)
    if match is not None and len(re.sub(r"\s", "", match.group(2))) % 2:
        return None
    return match


def is_zoneless(grid: str) -> bool:
    return _ZONELESS_GRID.fullmatch(re.sub(r"\s", "", grid).upper()) is not None


def _zone_of(lon: float) -> int:
    return int((lon + 180) // 6) % 60 + 1


def candidates(square_and_digits: str, area: Iterable[Place]) -> list[tuple[str, float, float]]:
    """Every full grid with these square letters and digits that lies within NEAR_KM of the area."""
    grid = re.sub(r"\s", "", square_and_digits).upper()
    places = list(area)
    zones = {(_zone_of(lon) + shift - 1) % 60 + 1 for _, lon in places for shift in (-1, 0, 1)}
    # 8-degree latitude bands within NEAR_KM (< 5 degrees) of a place: 2-3, not all 20.
    bands = [band for i, band in enumerate(BANDS)
             if any(-80 + 8 * i - 5 <= lat <= -80 + 8 * (i + 1) + (4 if band == "X" else 0) + 5 for lat, _ in places)]
    precision = (len(grid) - 2) // 2
    found = []
    with warnings.catch_warnings():  # GeoTrans warns on squares outside a band: they fail below
        warnings.simplefilter("ignore", RuntimeWarning)
        for zone in sorted(zones):
            for band in bands:
                full = f"{zone:02d}{band}{grid}"
                try:
                    lat, lon = mgrs_to_latlon(full)
                    exact = latlon_to_mgrs(lat, lon, precision) == full
                except GridError:
                    continue
                if exact and any(distance_km(lat, lon, p_lat, p_lon) <= NEAR_KM for p_lat, p_lon in places):
                    found.append((full, lat, lon))
    return found


def resolve(square_and_digits: str, area: Iterable[Place] | None) -> str:
    """The one full grid near the mission's area; GridError naming the candidates otherwise."""
    shown = " ".join(square_and_digits.split()).upper()
    if area is None:
        raise ZoneMissing(f"the grid {shown!r} has no zone (e.g. 34N); the mission's area is needed to place it")
    places = list(area)
    if not places:
        raise GridError(f"the grid {shown!r} has no zone, and the mission has no facilities or bases "
                        "to place it by: give the zone (e.g. 34N)")
    found = candidates(square_and_digits, places)
    if not found:
        raise GridError(f"no square {shown[:2]!r} lies within {NEAR_KM:.0f} km of the mission's area: "
                        "check the grid or give the zone")
    if len(found) > 1:
        listed = ", ".join(f"{grid} ({lat:.2f}, {lon:.2f})" for grid, lat, lon in found)
        raise GridError(f"the grid {shown!r} has no zone and fits {len(found)} places near the mission: "
                        f"{listed}; give the zone")
    return found[0][0]
