"""The contention-free bound: each patient served alone by the best asset, from its incident's
first call, at the best launch moment and place. No policy can beat it for any patient.

What a policy may do, the bound tries too: launch from the base at the call or when its crew's
notice to move is shorter (at dawn), wait so a day-only aircraft flies, or a night-capable one
lands, in daylight (a later re-plan does that), and launch with an airborne crew from any
refuelling facility an earlier sortie may have left it at. The last makes it a bound even where
policies chain sorties through forward facilities, and loose where they rarely do; with
`prepositioned=False` every asset starts at its base at the call instead (a refuelling stop on the
way allowed): "free at its base", tighter, but a policy that happens to have an
aircraft forward can beat it.
"""

from datetime import datetime, timedelta

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import PlanningContext, Site
from medevac.dispatch.engine.escort import can_cover
from medevac.dispatch.engine.model import AssetState, FacilityState, Patient, Snapshot
from medevac.dispatch.engine.travel import Launch, Timeline, notice_to_move_s
from medevac.dispatch.scenario import Asset, Casualty, Facility
from medevac.geo import is_night, next_daylight

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
                   road_factor: float, load_min: float, unload_min: float,
                   prepositioned: bool = True) -> dict[str, list[tuple[str, datetime]]]:
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
        out[c.id] = _earliest(PlanningContext(snapshot), prepositioned)
    return out


def _earliest(ctx: PlanningContext, prepositioned: bool) -> list[tuple[str, datetime]]:
    site = ctx.sites[0]
    patient = site.patients[0]
    receivers = [f for f in ctx.facilities if not rules.facility_rejects(f, patient)]
    best: dict[str, int] = {}
    for asset in ctx.assets:
        if ctx.carry_rejects(asset, patient) or rules.pickup_rejects(asset, site.location, ctx.facilities):
            continue
        if site.hostile and not asset.armed and not can_cover(ctx.travel, ctx.escorts, site.location, ctx.refuel_stops):
            continue
        for launch, not_before in _launches(ctx, asset, site, prepositioned):
            for facility in receivers:
                if rules.landing_rejects(asset, facility) or _soonest(ctx, asset, launch, not_before, site,
                                                                      facility) >= best.get(facility.id, 1 << 62):
                    continue  # cannot beat what this facility already has
                line = ctx.travel.timeline(asset, launch, site.location, facility, not_before, wait_for_daylight=True,
                                            refuel=ctx.refuel_stops(asset))
                if isinstance(line, Timeline):
                    best[facility.id] = min(line.handover, best.get(facility.id, line.handover))
    return [(f.id, ctx.at(best[f.id])) for f in receivers if f.id in best]


def _launches(ctx: PlanningContext, asset: AssetState, site: Site, prepositioned: bool) -> list[tuple[Launch, int]]:
    """(where, not before) for every launch that can be earliest: from the base at the call, and at
    dawn where the crew's night notice is longer; airborne at each refuelling facility, at the call
    (`prepositioned`) or once flown there from the base."""
    base = Launch(asset.base, 0, at_base=True)
    found = [(base, site.not_before)]
    if asset.night_capable and asset.notice_to_move_min.night > asset.notice_to_move_min.day \
            and is_night(asset.base.lat, asset.base.lon, ctx.at(site.not_before)):
        dawn = next_daylight(asset.base.lat, asset.base.lon, ctx.at(site.not_before))
        if dawn is not None:
            found.append((base, int((dawn - ctx.now).total_seconds())))
    notice = notice_to_move_s(asset, ctx.at(site.not_before))
    for f in ctx.facilities:
        if f.refuel and not rules.landing_rejects(asset, f):
            ready = 0 if prepositioned else notice + ctx.travel.flight(asset, asset.base, f.location)[1]
            found.append((Launch(f.location, ready, at_base=False), site.not_before))
    return found


def _soonest(ctx: PlanningContext, asset, launch: Launch, not_before: int, site: Site, facility) -> int:
    """No timeline of this launch hands over earlier (notice, darkness and range only add)."""
    out = ctx.travel.flight(asset, launch.location, site.location)[1]
    in_ = ctx.travel.flight(asset, site.location, facility.location)[1]
    return max(launch.ready, not_before) + out + ctx.travel.load_s + in_ + ctx.travel.unload_s
