"""Collecting an incident in one sortie: the casualties of one incident reported at points a few
hundred metres to a few kilometres apart (a convoy strung along a road, a camp attack) are picked
up by one aircraft landing at each point in turn, as a dispatcher does, not one sortie per point.

The sortie grows from its first pickup to the nearest other point of the same incident whose
casualties fit aboard and may be received, while the whole sortie stays feasible (range, night,
escort over every X landing zone); each landing costs the hop plus the scenario's load time.
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import PlanningContext, Site, incident_key
from medevac.dispatch.engine.escort import EscortLine
from medevac.dispatch.engine.model import AssetState, FacilityState, Patient
from medevac.dispatch.engine.travel import Launch, Timeline
from medevac.dispatch.scenario import Location
from medevac.geo import distance_km

HOP_KM = 10.0  # points of one incident farther apart than this are separate pickups


def board(ctx: PlanningContext, asset: AssetState, facility: FacilityState, waiting: list[Patient], beds: int,
          aboard: tuple[Patient, ...] = ()) -> list[Patient]:
    """Who of `waiting` (most urgent first) boards as well, beside those already aboard."""
    taken: list[Patient] = list(aboard)
    for patient in waiting:
        if len(taken) == beds or ctx.carry_rejects(asset, patient) or rules.facility_rejects(facility, patient):
            continue
        litter = sum(p.patient_type == "litter" for p in taken) + (patient.patient_type == "litter")
        if rules.fits_aboard(asset, litter, len(taken) + 1 - litter):
            taken.append(patient)
    return taken[len(aboard):]


def collect(ctx: PlanningContext, asset: AssetState, launch: Launch, site: Site, facility: FacilityState,
            aboard: list[Patient], waiting: dict[int, list[Patient]], beds: int, launches: dict[str, Launch],
            line: Timeline, escort: EscortLine | None) -> tuple[list[Patient], tuple[Site, ...], Timeline, EscortLine | None]:
    """The sortie extended over the incident's other points: (aboard, further pickups, line, escort)."""
    keys = {incident_key(p) for p in aboard}
    others = [s for s in ctx.incident_sites(keys) if s.index != site.index and waiting.get(s.index)
              and s.not_before <= site.not_before]
    then: list[Site] = []
    here = site.location
    while others and len(aboard) < beds:
        nearest = min(others, key=lambda s: distance_km(here.lat, here.lon, s.location.lat, s.location.lon))
        others.remove(nearest)
        if distance_km(here.lat, here.lon, nearest.location.lat, nearest.location.lon) > HOP_KM:
            continue
        extra = board(ctx, asset, facility, [p for p in waiting[nearest.index] if incident_key(p) in keys], beds,
                      tuple(aboard))
        if not extra:
            continue
        paired = ctx.paired(asset, launch, site, facility, (*then, nearest), launches)
        if isinstance(paired, str):
            continue
        then.append(nearest)
        aboard = aboard + extra
        line, escort = paired
        here = nearest.location
    return aboard, tuple(then), line, escort


def incident_chains(ctx: PlanningContext, sites: list[Site], start: Location) -> list[tuple[Site, ...]]:
    """For each incident spread over several of `sites`: its points in flying order from `start`
    (nearest first, then the nearest hop each time), as one sortie would land at them."""
    chains = []
    seen: set[frozenset] = set()
    for site in sites:
        group = [s for s in ctx.incident_sites({incident_key(p) for p in site.patients})
                 if s.not_before == site.not_before]
        key = frozenset(s.index for s in group)
        if len(group) < 2 or key in seen:
            continue
        seen.add(key)
        here, ordered = start, []
        while group:
            nearest = min(group, key=lambda s: distance_km(here.lat, here.lon, s.location.lat, s.location.lon))
            if ordered and distance_km(here.lat, here.lon, nearest.location.lat, nearest.location.lon) > HOP_KM:
                break
            group.remove(nearest)
            ordered.append(nearest)
            here = nearest.location
        if len(ordered) > 1:
            chains.append(tuple(ordered))
    return chains
