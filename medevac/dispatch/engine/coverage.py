"""Golden-hour coverage: for a grid over the mission area, the best achievable minutes from a
casualty injured now in each cell to resuscitation and to surgical care, with the assets as they
are (free time, base, night rules). Day and night variants are the same call at two moments."""

import math
from datetime import datetime

from pydantic import BaseModel

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.model import Patient, Snapshot
from medevac.dispatch.engine.travel import Timeline

NEAREST_FACILITIES = 3


class CoverageCell(BaseModel):
    lat: float
    lon: float
    resuscitation_min: float | None  # None: nobody can get a casualty there to care
    surgery_min: float | None


class CoverageGrid(BaseModel):
    at: datetime
    step_km: float
    cells: list[CoverageCell]


def coverage(snapshot: Snapshot, south: float, west: float, north: float, east: float,
             step_km: float = 25.0, at: datetime | None = None) -> CoverageGrid:
    moment = at or snapshot.now
    lat_step = step_km / 111.32
    lon_step = step_km / (111.32 * max(0.1, math.cos(math.radians((south + north) / 2))))
    points = [(round(south + i * lat_step, 4), round(west + j * lon_step, 4))
              for i in range(int((north - south) / lat_step) + 1)
              for j in range(int((east - west) / lon_step) + 1)]
    probes = [Patient(id=f"cell{k}", request_id=f"cell{k}", injured_at=moment, reported_at=moment,
                      location={"lat": lat, "lon": lon}, precedence=precedence, patient_type="litter")
              for k, (lat, lon) in enumerate(points) for precedence in "AB"]
    ctx = PlanningContext(snapshot.model_copy(update={"now": moment, "patients": probes}))
    cells = []
    for site in ctx.sites:
        best = {p.precedence: _best_minutes(ctx, site, p) for p in site.patients}
        cells.append(CoverageCell(lat=site.location.lat, lon=site.location.lon,
                                  resuscitation_min=best.get("A"), surgery_min=best.get("B")))
    return CoverageGrid(at=moment, step_km=step_km, cells=cells)


def _best_minutes(ctx: PlanningContext, site, patient) -> float | None:
    facilities = [ctx.facilities[i] for i in ctx.facilities_by_distance[site.index]
                  if not rules.facility_rejects(ctx.facilities[i], patient)][:NEAREST_FACILITIES]
    handovers = [
        line.handover for asset in ctx.assets if not ctx.carry_rejects(asset, patient)
        for facility in facilities
        if isinstance(line := ctx.timeline(asset, ctx.launch(asset), site, facility), Timeline)
    ]
    return round(min(handovers) / 60, 1) if handovers else None
