"""`GET /v1/map/mgrs-grid`: the MGRS grid over the map's view, as lines and square labels.

Grid references on the radio are MGRS (line 1 of the 9-line), so the map draws the same grid: grid
zones when zoomed out, then 100 km, 10 km or 1 km squares, whichever gives a readable number of
squares. Lines are straight in UTM, so they are traced in each zone's UTM projection (pyproj) and
clipped to the zone; labels are the squares' own MGRS references (the mgrs package).
"""

import asyncio
import math
from functools import lru_cache, partial

import mgrs
from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pyproj import Transformer

from medevac.auth import ROLES
from medevac.http.web import Call, RouteTable

routes = RouteTable("map")
SPACINGS_M = (1_000, 10_000, 100_000)
SQUARES_ACROSS = 20  # the finest spacing that puts at most this many squares across the view
STEPS_PER_SQUARE = 4  # points traced per square side: UTM lines bend a little in degrees


class GridQuery(BaseModel):
    south: float = Field(ge=-80, le=84, description="the view's edges in degrees (MGRS stops at 80° S and 84° N)")
    west: float = Field(ge=-180, le=180)
    north: float = Field(ge=-80, le=84)
    east: float = Field(ge=-180, le=180)

    @field_validator("north", "east")
    @classmethod
    def _beyond(cls, value: float, info: ValidationInfo) -> float:
        low = info.data.get("south" if info.field_name == "north" else "west")
        if low is not None and value <= low:
            raise PydanticCustomError("view_order", "the view's {edge} edge must be beyond its {low} edge",
                                      {"edge": info.field_name, "low": "south" if info.field_name == "north" else "west"})
        return value


class GridLabel(BaseModel):
    lat: float
    lon: float
    text: str


class MgrsGrid(BaseModel):
    spacing_m: int | None = Field(description="square size; None: grid zones only (the view is too large)")
    lines: list[list[tuple[float, float]]] = Field(description="polylines of (lat, lon)")
    labels: list[GridLabel]


@lru_cache(maxsize=64)
def _utm(zone: int) -> tuple[Transformer, Transformer]:
    forward = Transformer.from_crs("EPSG:4326", f"EPSG:326{zone:02d}", always_xy=True)
    return forward, Transformer.from_crs(f"EPSG:326{zone:02d}", "EPSG:4326", always_xy=True)


def _span_m(q: GridQuery) -> float:
    mid = math.radians((q.south + q.north) / 2)
    return max(q.north - q.south, (q.east - q.west) * math.cos(mid)) * 111_320


def _clip(points: list[tuple[float, float]], west: float, east: float, south: float, north: float) -> list[list]:
    """Split a traced line into the runs that lie inside the box."""
    runs: list[list] = [[]]
    for lat, lon in points:
        if west <= lon <= east and south <= lat <= north:
            runs[-1].append((round(lat, 5), round(lon, 5)))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) > 1]


def _zone_squares(q: GridQuery, zone: int, spacing: int, to_mgrs: mgrs.MGRS) -> tuple[list, list]:
    west, east = max(q.west, -180 + 6 * (zone - 1)), min(q.east, -180 + 6 * zone)
    forward, inverse = _utm(zone)
    edge_lons = [west + (east - west) * i / 8 for i in range(9)]
    edge_lats = [q.south + (q.north - q.south) * i / 8 for i in range(9)]
    xs, ys = forward.transform(edge_lons * 2 + [west] * 9 + [east] * 9,
                               [q.south] * 9 + [q.north] * 9 + edge_lats * 2)
    e0, e1 = math.floor(min(xs) / spacing) * spacing, math.ceil(max(xs) / spacing) * spacing
    n0, n1 = math.floor(min(ys) / spacing) * spacing, math.ceil(max(ys) / spacing) * spacing
    step = spacing / STEPS_PER_SQUARE
    lines = []
    for e in range(e0, e1 + 1, spacing):
        ns = [n0 + step * i for i in range(int((n1 - n0) / step) + 1)]
        lons, lats = inverse.transform([e] * len(ns), ns)
        lines += _clip(list(zip(lats, lons)), west, east, q.south, q.north)
    for n in range(n0, n1 + 1, spacing):
        es = [e0 + step * i for i in range(int((e1 - e0) / step) + 1)]
        lons, lats = inverse.transform(es, [n] * len(es))
        lines += _clip(list(zip(lats, lons)), west, east, q.south, q.north)
    centres = [(e + spacing / 2, n + spacing / 2) for e in range(e0, e1, spacing) for n in range(n0, n1, spacing)]
    lons, lats = inverse.transform([c[0] for c in centres], [c[1] for c in centres])
    labels = [GridLabel(lat=round(lat, 5), lon=round(lon, 5), text=_square_name(to_mgrs, lat, lon, spacing))
              for lat, lon in zip(lats, lons) if west <= lon <= east and q.south <= lat <= q.north]
    return lines, labels


def _square_name(to_mgrs: mgrs.MGRS, lat: float, lon: float, spacing: int) -> str:
    """'34N BK' for a 100 km square, 'BK 2 8' for 10 km, 'BK 23 81' for 1 km."""
    digits = {100_000: 0, 10_000: 1, 1_000: 2}[spacing]
    ref = to_mgrs.toMGRS(lat, lon, MGRSPrecision=digits)
    zone, square, numbers = ref[:-(2 + 2 * digits)], ref[-(2 + 2 * digits):][:2], ref[-2 * digits:] if digits else ""
    if not digits:
        return f"{zone} {square}"
    return f"{square} {numbers[:digits]} {numbers[digits:]}"


def _grid_zones(q: GridQuery, to_mgrs: mgrs.MGRS) -> MgrsGrid:
    lines = [[(q.south, lon), (q.north, lon)] for lon in range(math.ceil(q.west / 6) * 6, math.floor(q.east) + 1, 6)]
    lines += [[(lat, q.west), (lat, q.east)] for lat in range(math.ceil(q.south / 8) * 8, math.floor(q.north) + 1, 8)]
    labels = []
    for lon0 in range(math.floor(q.west / 6) * 6, math.ceil(q.east), 6):
        for lat0 in range(math.floor(q.south / 8) * 8, math.ceil(q.north), 8):
            lat, lon = min(max(lat0 + 4, q.south), q.north), min(max(lon0 + 3, q.west), q.east)
            if -80 <= lat <= 84:
                labels.append(GridLabel(lat=lat, lon=lon, text=to_mgrs.toMGRS(lat, lon, MGRSPrecision=0)[:-2]))
    return MgrsGrid(spacing_m=None, lines=lines, labels=labels)


def mgrs_grid(q: GridQuery) -> MgrsGrid:
    to_mgrs = mgrs.MGRS()
    spacing = next((s for s in SPACINGS_M if _span_m(q) / s <= SQUARES_ACROSS), None)
    if spacing is None:
        return _grid_zones(q, to_mgrs)
    lines, labels = [], []
    for zone in range(int((q.west + 180) // 6) + 1, int((min(q.east, 179.999) + 180) // 6) + 2):
        if min(q.east, -180 + 6 * zone) <= max(q.west, -180 + 6 * (zone - 1)):
            continue  # the view ends on this zone's western edge
        zone_lines, zone_labels = _zone_squares(q, zone, spacing, to_mgrs)
        lines += zone_lines
        labels += zone_labels
    return MgrsGrid(spacing_m=spacing, lines=lines, labels=labels)


@routes.get("/v1/map/mgrs-grid", summary="MGRS grid lines and square labels for a map view",
            roles=frozenset(ROLES), query=GridQuery, response=MgrsGrid, database=False)
async def grid(call: Call) -> MgrsGrid:
    return await asyncio.get_running_loop().run_in_executor(None, partial(mgrs_grid, call.query))
