"""Consolidation points: where casualties of nearby requests (an incident strung along a road, a
camp attack) would be picked up at several points, by separate sorties or one landing at each,
propose that the units carry them by ground to one of those landing zones, where one landing
takes them all, when that has the most urgent of them (every casualty of the highest precedence
among them) at care sooner and none of them later.

It is a proposal beside the plan, which stays as it is: a ground move is the commander's call on
the ground. Never proposed where line 6 says X (a ground move under fire is not ours to suggest).
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.collect import board
from medevac.dispatch.engine.context import PlanningContext, Site, urgency
from medevac.dispatch.engine.model import Consolidation, Recommendation
from medevac.dispatch.engine.sorties import Flown
from medevac.dispatch.engine.travel import Timeline
from medevac.dispatch.scenario import Location
from medevac.geo import distance_km
from medevac.grid import latlon_to_mgrs

# [sim] A unit's own vehicle carrying casualties a few km on local tracks. US Army staff planning
# moves road columns at 25-30 km/h (ST 100-3 Battle Book, ch. 8, movement planning); a short move
# with casualties aboard, unpaved tracks and security halts is slower, so half of the lower figure.
GROUND_KMH = 15.0
MAX_ROAD_KM = 5.0  # a short ground move: points farther apart by road are not consolidated
MIN_SAVED_MIN = 5  # below this the radio traffic to arrange the move is not worth it
SAME_POINT_KM = 0.05
KM_PER_DEG = 111.2


def propose(ctx: PlanningContext, flown: list[Flown], recommendations: list[Recommendation]) -> None:
    """Add a `consolidation` to the recommendation of every request a proposal involves."""
    by_patient = {p.id: f for f in flown for p in f.patients}
    by_request = {r.request_id: r for r in recommendations}
    for group in _groups(ctx):
        proposal = _best(ctx, group, by_patient)
        for request_id in proposal.request_ids if proposal else ():
            if request_id in by_request:
                by_request[request_id].consolidation = proposal


def _road_km(ctx: PlanningContext, a: Location, b: Location) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon) * ctx.snapshot.road_factor


def _groups(ctx: PlanningContext) -> list[list[Site]]:
    """Reported, non-hostile pickup points linked by short ground moves, most urgent first."""
    sites = sorted((s for s in ctx.sites if s.not_before == 0 and not s.hostile), key=lambda s: s.location.lat)
    parent = {s.index: s.index for s in sites}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i
    for i, a in enumerate(sites):  # a sweep by latitude: no geodesics for far pairs
        for b in sites[i + 1:]:
            if (b.location.lat - a.location.lat) * KM_PER_DEG * ctx.snapshot.road_factor > MAX_ROAD_KM:
                break
            if _road_km(ctx, a.location, b.location) <= MAX_ROAD_KM:
                parent[root(b.index)] = root(a.index)
    groups: dict[int, list[Site]] = {}
    for site in sorted(sites, key=lambda s: s.index):  # sites are ordered most urgent first
        groups.setdefault(root(site.index), []).append(site)
    return [g for g in groups.values() if len(g) > 1]


def _best(ctx: PlanningContext, group: list[Site], by_patient: dict[str, Flown]) -> Consolidation | None:
    """The landing zone of the group where the lead's aircraft, landing once, has the most urgent
    at care soonest (the lead: the group's most urgent patient, whose planned sortie is used)."""
    lead = min((p for s in group for p in s.patients), key=urgency)
    planned = by_patient.get(lead.id)
    if planned is None:
        return None  # nothing to compare with: the recommendation says why it waits
    asset, facility = planned.asset, planned.facility
    sites, aboard = [], []
    for site in group:  # whole points only, most urgent first, while they fit and may be received
        extra = board(ctx, asset, facility, site.patients, facility.beds_left, tuple(aboard))
        if len(extra) == len(site.patients):
            sites, aboard = sites + [site], aboard + extra
    if len(sites) < 2 or lead not in aboard:
        return None
    handed = {p.id: by_patient[p.id].line.handover if p.id in by_patient else None for p in aboard}
    urgent = [handed[p.id] for p in aboard if p.precedence == lead.precedence]
    if None in urgent:
        return None  # one of the most urgent has no aircraft in the plan: nothing to measure against
    all_urgent_at_care = max(urgent)
    found = None
    for zone in sites:
        move = max(_ground_s(ctx, s.location, zone.location) for s in sites)
        line = _landing(ctx, planned, zone.location, move)
        if isinstance(line, str) or any(t is not None and t < line.handover for t in handed.values()):
            continue  # nobody reaches care later than the plan has them
        saved = all_urgent_at_care - line.handover
        if saved >= MIN_SAVED_MIN * 60 and (found is None or saved > found[0]):
            found = (saved, zone, move, line)
    if found is None:
        return None
    saved, zone, move, line = found
    return _proposal(ctx, sites, aboard, planned, zone.location, move, line, saved)


def _ground_s(ctx: PlanningContext, start: Location, zone: Location) -> int:
    """Seconds to load a unit's vehicle and drive to the zone (none for the casualties already there)."""
    km = _road_km(ctx, start, zone)
    return 0 if km <= SAME_POINT_KM else ctx.travel.load_s + round(km / GROUND_KMH * 3600)


def _landing(ctx: PlanningContext, planned: Flown, zone: Location, ready_s: int) -> Timeline | str:
    """The lead's aircraft from the same launch to the zone, landing once everyone is there."""
    asset, facility = planned.asset, planned.facility
    reason = rules.pickup_rejects(asset, zone, ctx.facilities)
    if reason:
        return reason
    not_before = 0
    for _ in range(3):  # a later launch may change the notice to move: re-time until it holds
        line = ctx.travel.timeline(asset, planned.launch, zone, facility, not_before, refuel=ctx.refuel_stops(asset))
        if isinstance(line, str) or line.at_pickup >= ready_s:
            return line
        not_before = line.tasked_at + ready_s - line.at_pickup
    return "cannot be timed to land after the ground move"


def _proposal(ctx, sites: list[Site], aboard, planned: Flown, zone: Location, move: int, line: Timeline,
              saved: int) -> Consolidation:
    requests = sorted({p.request_id for p in aboard})
    grid = latlon_to_mgrs(zone.lat, zone.lon, 4)
    saved_min, move_min = round(saved / 60), round(move / 60)
    return Consolidation(
        request_ids=requests, patient_ids=[p.id for p in aboard], location=zone, grid=grid,
        ground_move_min=move_min, saved_min=saved_min, asset_id=planned.asset.id, facility_id=planned.facility.id,
        at_facility=ctx.at(line.at_facility),
        text=(f"carry the casualties waiting at {len(sites)} points ({len(requests)} request"
              f"{'' if len(requests) == 1 else 's'}) to grid {grid} "
              f"(at most {move_min} min by road, loading included): {planned.asset.callsign} lands once and "
              f"takes all {len(aboard)}; every precedence {min(aboard, key=urgency).precedence} casualty among them is at care "
              f"{saved_min} min sooner than planned"),
    )
