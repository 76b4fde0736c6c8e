"""`GET /v1/coverage`: where a casualty injured now could reach resuscitation or surgery within
the golden hour with the assets available now, by day or by night, over a grid of the mission.

The grid is scored in an executor with a time limit, then cached briefly: the map asks often and
the fleet changes slowly. Each cell's minutes come from the engine's own travel arithmetic and
hard rules (notice to move, legs, range, landing, night capability).
"""

import asyncio
import time
import uuid
from datetime import datetime, timezone
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, Field

from medevac.auth import ROLES
from medevac.dispatch.engine.model import GOLDEN_HOUR_MIN, AssetState, FacilityState, Snapshot
from medevac.dispatch.engine.rules import landing_rejects, pickup_rejects, status_rejects
from medevac.dispatch.engine.travel import leg_km, leg_seconds
from medevac.dispatch.planning import snapshot as snapshots
from medevac.dispatch.scenario import Location
from medevac.errors import Problem, invalid
from medevac.web import Call, RouteTable

routes = RouteTable("coverage")
CACHE_S = 30.0
TIME_LIMIT_S = 10.0
GRID_CELLS = 40  # per side of the mission's bounding box
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
    step_deg: float
    cells: list[Cell]
    covered_share: float = Field(description="share of cells reached within the threshold")


def cares(facility: FacilityState) -> bool:
    return facility.status == "open" and ("resuscitation" in facility.capabilities or facility.operating_tables > 0)


def sortie_minutes(asset: AssetState, site: Location, facility: FacilityState, snapshot: Snapshot,
                   night: bool) -> float | None:
    """Minutes from tasking to handover for one asset flying base → site → facility, or None."""
    if night and not (asset.night_capable and (asset.kind == "ground" or facility.night_landing)):
        return None
    if landing_rejects(asset, facility):
        return None
    start = asset.free_location or asset.base
    out_km = leg_km(asset, start, site, snapshot.road_factor)
    in_km = leg_km(asset, site, facility.location, snapshot.road_factor)
    home_km = 0 if facility.refuel else leg_km(asset, facility.location, asset.base, snapshot.road_factor)
    if out_km + in_km + home_km > asset.range_km:
        return None
    notice = asset.notice_to_move_min.night if night else asset.notice_to_move_min.day
    flying_s = leg_seconds(asset, out_km) + leg_seconds(asset, in_km)
    return notice + flying_s / 60 + snapshot.load_min + snapshot.unload_min


def golden_hour_grid(snapshot: Snapshot, mission_id: uuid.UUID, mode: str) -> Coverage:
    """Score every grid cell: the fastest free asset and caring facility for a casualty there."""
    night = mode == "night"
    assets = [a for a in snapshot.assets if status_rejects(a) is None]
    facilities = [f for f in snapshot.facilities if cares(f)]
    points = [a.base for a in snapshot.assets] + [f.location for f in snapshot.facilities]
    if not points:
        return Coverage(mission_id=mission_id, mode=mode, computed_at=snapshot.now, step_deg=1.0, cells=[],
                        covered_share=0.0)
    south, north = min(p.lat for p in points) - MARGIN_DEG, max(p.lat for p in points) + MARGIN_DEG
    west, east = min(p.lon for p in points) - MARGIN_DEG, max(p.lon for p in points) + MARGIN_DEG
    step = round(max(north - south, east - west) / GRID_CELLS, 3)
    cells = []
    for i in range(int((north - south) / step) + 1):
        for j in range(int((east - west) / step) + 1):
            site = Location(lat=round(south + (i + 0.5) * step, 4), lon=round(west + (j + 0.5) * step, 4))
            times = [m for a in assets if pickup_rejects(a, site, facilities) is None for f in facilities
                     if (m := sortie_minutes(a, site, f, snapshot, night)) is not None]
            cells.append(Cell(lat=site.lat, lon=site.lon, minutes=round(min(times), 1) if times else None))
    covered = sum(1 for c in cells if c.minutes is not None and c.minutes <= GOLDEN_HOUR_MIN)
    return Coverage(mission_id=mission_id, mode=mode, computed_at=snapshot.now, step_deg=step, cells=cells,
                    covered_share=round(covered / len(cells), 4))


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
    snapshot = await snapshots.load(call.conn, mission_id, datetime.now(timezone.utc))
    loop = asyncio.get_running_loop()
    try:
        result = await asyncio.wait_for(
            loop.run_in_executor(None, golden_hour_grid, snapshot, mission_id, call.query.mode), TIME_LIMIT_S)
    except TimeoutError:
        raise Problem(503, "Coverage not ready", f"the grid took over {TIME_LIMIT_S:.0f} s; try again") from None
    cache[key] = (time.monotonic(), result)
    return result
