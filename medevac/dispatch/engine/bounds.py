"""The contention-free bound: each patient served alone by the best asset, free at its base at
the first call of its incident. No policy can beat it (short of pre-positioning aircraft)."""

from datetime import datetime, timedelta

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.model import AssetState, FacilityState, Patient, Snapshot
from medevac.dispatch.engine.travel import Timeline
from medevac.dispatch.scenario import Asset, Casualty, Facility

INCIDENT_WINDOW = timedelta(minutes=60)


def first_calls(casualties: list[Casualty]) -> dict[str, datetime]:
    """Casualty id → its incident's first call (same incident key, or same place within an hour)."""
    firsts: dict[str, datetime] = {}
    opened: dict[tuple, datetime] = {}
    for c in sorted(casualties, key=lambda c: c.reported_at):
        key = (c.incident,) if c.incident else (round(c.location.lat, 2), round(c.location.lon, 2))
        start = opened.get(key)
        if start is None or (not c.incident and c.reported_at - start > INCIDENT_WINDOW):
            opened[key] = start = c.reported_at
        firsts[c.id] = start
    return firsts


def best_handovers(casualties: list[Casualty], assets: list[Asset], facilities: list[Facility],
                   road_factor: float, load_min: float, unload_min: float) -> dict[str, list[tuple[str, datetime]]]:
    """Per casualty, the earliest handover at each facility that may receive it (any asset)."""
    calls = first_calls(casualties)
    out: dict[str, list[tuple[str, datetime]]] = {}
    for c in casualties:
        snapshot = Snapshot(
            now=calls[c.id],
            patients=[Patient(**{**c.model_dump(), "reported_at": max(calls[c.id], c.injured_at)}, request_id=c.id)],
            assets=[AssetState(**a.model_dump()) for a in assets],
            facilities=[FacilityState(**f.model_dump()) for f in facilities],
            road_factor=road_factor, load_min=load_min, unload_min=unload_min,
        )
        out[c.id] = _earliest(PlanningContext(snapshot))
    return out


def _earliest(ctx: PlanningContext) -> list[tuple[str, datetime]]:
    site = ctx.sites[0]
    patient = site.patients[0]
    found = []
    for facility in ctx.facilities:
        if rules.facility_rejects(facility, patient):
            continue
        times = [
            line.handover for asset in ctx.assets if not rules.asset_rejects(asset, patient)
            if isinstance(line := ctx.timeline(asset, ctx.launch(asset), site, facility), Timeline)
        ]
        if times:
            found.append((facility.id, ctx.at(min(times))))
    return found
