"""`GET /v1/coverage`: where a casualty injured now could reach resuscitation or surgery within
the golden hour with the assets available now, by day or by night, over a grid of the mission.

The grid is scored in an executor with a time limit, then cached briefly: the map asks often and
the fleet changes slowly. The minutes are the engine's (`engine.coverage`): the same travel
arithmetic and hard rules as the plans, evaluated at local noon (day) or midnight (night).
"""

import math
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, Field

from medevac.auth import ROLES
from medevac.cpu import cpu_key
from medevac.dispatch.engine.coverage import coverage as engine_coverage
from medevac.dispatch.engine.model import GOLDEN_HOUR_MIN, Snapshot
from medevac.dispatch.planning import snapshot as snapshots
from medevac.errors import Problem, invalid
from medevac.http.web import Call, RouteTable

routes = RouteTable("coverage")
CACHE_S = 30.0
TIME_LIMIT_S = 10.0
GRID_CELLS = 40  # along the longer side of the mission's bounding box
MIN_STEP_KM = 10.0
MARGIN_DEG = 1.5
# (mission, mode) → (monotonic time computed, coverage)
cache_key: web.AppKey[dict] = web.AppKey("coverage_cache", dict)


def setup(app: web.Application) -> None:
    app[cache_key] = {}


class CoverageQuery(BaseModel):
    mission: uuid.UUID | None = Field(None, description="mission (default: the token's)")
    mode: Literal["day", "night"] = "day"


class Cell(BaseModel):
    lat: float
    lon: float
    minutes: float | None = Field(description="injury to resuscitation or surgery; None: unreachable")


class Coverage(BaseModel):
    mission_id: uuid.UUID
    mode: Literal["day", "night"]
    computed_at: datetime
    threshold_min: int = GOLDEN_HOUR_MIN
    lat_step_deg: float
    lon_step_deg: float
    cells: list[Cell]
    covered_share: float = Field(description="share of cells reached within the threshold")


def moment(mode: str, now: datetime, lon: float) -> datetime:
    """Today's local solar noon (day) or the midnight after it (night) at the mission's longitude."""
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(hours=lon / 15)
    return noon if mode == "day" else noon + timedelta(hours=12)


def golden_hour_grid(snapshot: Snapshot, mission_id: uuid.UUID, mode: str) -> Coverage:
    """The engine's coverage over the mission's bounding box; a cell counts the sooner of its
    resuscitation and surgery minutes."""
    points = [a.base for a in snapshot.assets] + [f.location for f in snapshot.facilities]
    if not points:
        return Coverage(mission_id=mission_id, mode=mode, computed_at=snapshot.now, lat_step_deg=1.0,
                        lon_step_deg=1.0, cells=[], covered_share=0.0)
    # The margin stops at the poles and the antimeridian: a cell past them is no place at all.
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    south, north = max(-90.0, min(lats) - MARGIN_DEG), min(90.0, max(lats) + MARGIN_DEG)
    west, east = max(-180.0, min(lons) - MARGIN_DEG), min(180.0, max(lons) + MARGIN_DEG)
    step_km = max(MIN_STEP_KM, max(north - south, east - west) * 111.32 / GRID_CELLS)
    grid = engine_coverage(snapshot, south, west, north, east, step_km=step_km,
                           at=moment(mode, snapshot.now, (west + east) / 2))
    cells = [Cell(lat=c.lat, lon=c.lon, minutes=min((m for m in (c.resuscitation_min, c.surgery_min)
                                                     if m is not None), default=None)) for c in grid.cells]
    covered = sum(1 for c in cells if c.minutes is not None and c.minutes <= GOLDEN_HOUR_MIN)
    lat_step = step_km / 111.32
    return Coverage(mission_id=mission_id, mode=mode, computed_at=grid.at, lat_step_deg=round(lat_step, 4),
                    lon_step_deg=round(lat_step / max(0.1, math.cos(math.radians((south + north) / 2))), 4),
                    cells=cells, covered_share=round(covered / len(cells), 4) if cells else 0.0)


@routes.get("/v1/coverage", summary="Golden-hour coverage of the mission area with the assets available now "
                                    "(day or night), over a grid", roles=frozenset(ROLES), query=CoverageQuery,
            response=Coverage)
async def coverage(call: Call) -> Coverage:
    mission_id = call.principal.default_mission(call.query.mission)
    if mission_id is None:
        raise invalid("query.mission", "required for a token that spans missions")
    key = (mission_id, call.query.mode)
    cache = call.request.app[cache_key]
    cached = cache.get(key)
    if cached and time.monotonic() - cached[0] < CACHE_S:
        return cached[1]
    snapshot, _ = await snapshots.load(call.conn, mission_id, datetime.now(timezone.utc))  # the fleet matters
    try:  # killed if it overruns
        result = await call.request.app[cpu_key].run(golden_hour_grid, snapshot, mission_id, call.query.mode,
                                                     timeout=TIME_LIMIT_S)
    except TimeoutError:
        raise Problem(503, "Coverage not ready", f"the grid took over {TIME_LIMIT_S:.0f} s; try again") from None
    cache[key] = (time.monotonic(), result)
    return result
