"""The data of the sortie-slot model: patient classes and each asset's feasible options.

Precomputing the feasible (site, asset, facility) triples with exact first-sortie timelines is
what makes the CP-SAT model small (DESIGN §2 solver notes).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.collect import incident_chains
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.model import AssetState, Patient
from medevac.dispatch.engine.sorties import B_GOLDEN_HOUR_POINTS, GOLDEN_HOUR_MIN, ON_TIME_POINTS, Choice
from medevac.dispatch.engine.travel import Timeline
from medevac.geo import next_daylight, next_dusk

MAX_FACILITIES_PER_SITE = 2
MAX_FACILITIES_TIMED = 4  # capable facilities timed per (asset, site), nearest first
MAX_SITES_PER_ASSET = 12
LARGE_MODEL_CLASSES = 80  # beyond this, each asset considers only its nearest sites
MAX_SITES_PER_ASSET_LARGE = 8
SITES_TIMED_FACTOR = 2  # sites timed per asset, by flight time, per site kept
CLASS_INJURY_BUCKET_S = 300  # patients injured within 5 min share a class (earliest one's deadlines)


@dataclass
class PatientClass:
    """Patients at one site who are interchangeable for the model."""

    site: int
    patients: list[Patient]
    deadlines: list[tuple[int, int]]  # (minutes after now, points if handed over by then)
    litter: bool

    @property
    def count(self) -> int:
        return len(self.patients)

    @property
    def lead(self) -> Patient:
        """The member injured first: the class's deadlines are never later than anyone's."""
        return self.patients[0]


@dataclass
class Option:
    site: int
    facility: int
    fly_in_min: int  # pickup → facility, with loading and unloading
    first: Timeline | None  # exact timeline when flown as the asset's first sortie
    classes: list[int]  # indices of the classes that may board and be received
    then: tuple[int, ...] = ()  # further pickups of the incident, landed at in turn
    escort_min: int = 0  # minutes its escort flies, when flown as the first sortie


@dataclass
class AssetOptions:
    asset: AssetState
    options: list[Option] = field(default_factory=list)
    day_limited: set[int] = field(default_factory=set)  # options that must fly in daylight
    day_window: tuple[int, int] = (0, 10**6)  # minutes: the daylight the chained slots must use


def minutes_up(seconds: int) -> int:
    return math.ceil(seconds / 60)


def build_classes(ctx: PlanningContext) -> list[PatientClass]:
    groups: dict[tuple, list[Patient]] = {}
    for site in ctx.sites:
        for p in site.patients:
            key = (site.index, p.precedence, p.patient_type, tuple(sorted(p.needs)), p.security,
                   p.special_equipment, int(p.injured_at.timestamp()) // CLASS_INJURY_BUCKET_S)
            groups.setdefault(key, []).append(p)  # sites list patients most urgent first
    return [PatientClass(key[0], members, _deadlines(ctx, members[0]), key[2] == "litter")
            for key, members in groups.items()]


def _deadlines(ctx: PlanningContext, p: Patient) -> list[tuple[int, int]]:
    std = ctx.standard_min(p)
    tiers = [(std, ON_TIME_POINTS[p.precedence])]
    if p.precedence == "B":
        tiers.append((GOLDEN_HOUR_MIN, B_GOLDEN_HOUR_POINTS))
    out = []
    for minutes, points in tiers:
        deadline = math.floor(ctx.deadline_s(p, minutes) / 60)
        if deadline >= 0:
            out.append((deadline, points))
    return out


def build_options(ctx: PlanningContext, classes: list[PatientClass], planned: dict[str, list[Choice]] | None = None,
                  time_left: Callable[[], float] | None = None) -> list[AssetOptions] | None:
    """Each asset's options: its nearest sites, plus every (site, facility) a known plan flies
    with it, so that plan stays a solution of the model (the hint) whatever the pruning.
    None when `time_left()` runs out first."""
    by_site: dict[int, list[int]] = {}
    for i, c in enumerate(classes):
        by_site.setdefault(c.site, []).append(i)
    limit = MAX_SITES_PER_ASSET if len(classes) <= LARGE_MODEL_CLASSES else MAX_SITES_PER_ASSET_LARGE
    planned = planned or {}
    out = []
    for asset in ctx.assets:
        if time_left is not None and time_left() <= 0:
            return None
        out.append(_asset_options(ctx, asset, by_site, classes, limit,
                                  {(c.site, c.facility, c.then) for c in planned.get(asset.id, [])}))
    return out


def _asset_options(ctx, asset: AssetState, by_site, classes, max_sites: int, planned: set) -> AssetOptions:
    launch = ctx.launch(asset)
    per_site: list[tuple[int, list[Option]]] = []
    kept: list[Option] = []
    for site in _nearest_sites(ctx, asset, launch, by_site, classes, max_sites * SITES_TIMED_FACTOR):
        found = _site_options(ctx, asset, launch, site, by_site, classes)
        if found:
            per_site.append((_first_handover(found[0]), _spread(found)))
    per_site.sort(key=lambda item: item[0])
    for _, options in per_site[:max_sites]:
        kept.extend(options)
    for chain in incident_chains(ctx, [ctx.sites[o.site] for o in kept], launch.location):
        kept += _site_options(ctx, asset, launch, chain[0], by_site, classes, then=chain[1:])[:1]
    have = {(o.site, o.facility, o.then) for o in kept}
    for site, facility, then in sorted(planned - have):
        kept += [o for o in _site_options(ctx, asset, launch, ctx.sites[site], by_site, classes, facility,
                                          tuple(ctx.sites[i] for i in then)) if o.facility == facility]
    result = AssetOptions(asset, kept)
    _mark_daylight(ctx, result, launch.ready)
    return result


def _site_options(ctx, asset, launch, site, by_site, classes, only: int | None = None,
                  then: tuple = ()) -> list[Option]:
    """Options to the nearest capable facilities with beds (or to `only`), soonest first; with
    `then`, one sortie over the further pickups too."""
    movable = [i for s in (site, *then) for i in by_site.get(s.index, ())
               if not ctx.carry_rejects(asset, classes[i].lead)]
    found = []
    for f_index in ctx.facilities_by_distance[site.index] if only is None else [only]:
        facility = ctx.facilities[f_index]
        accepted = [i for i in movable if not rules.facility_rejects(facility, classes[i].lead)]
        if not accepted or facility.beds_left == 0:
            continue
        option = _option(ctx, asset, launch, site, f_index, accepted, then)
        if option is not None:
            found.append(option)
        if len(found) == MAX_FACILITIES_TIMED:
            break
    found.sort(key=_first_handover)
    return found


def _nearest_sites(ctx, asset, launch, by_site, classes, count: int) -> list:
    """The sites with patients this asset may carry, fewest flying seconds away first."""
    reachable = [site for site in ctx.sites
                 if any(not ctx.carry_rejects(asset, classes[i].lead) for i in by_site.get(site.index, ()))]
    reachable.sort(key=lambda site: ctx.travel.flight(asset, launch.location, site.location)[1])
    return reachable[:count]


def _first_handover(option: Option) -> int:
    return option.first.handover if option.first else 10**9


def _option(ctx, asset, launch, site, f_index: int, accepted: list[int], then: tuple = ()) -> Option | None:
    """The option, timed exactly if it can be the first sortie; range/night-limited ones are
    kept for chained slots (from a forward refuelling facility, or after dawn)."""
    facility = ctx.facilities[f_index]
    sites = (site, *then)
    if rules.landing_rejects(asset, facility) or any(
            rules.pickup_rejects(asset, s.location, ctx.facilities) for s in sites):
        return None
    paired = ctx.paired(asset, launch, site, facility, then, ctx.launches)
    if isinstance(paired, str) and any(s.hostile for s in sites) and not asset.armed:
        return None  # no escort: this carrier may not land there
    first, escort = (None, None) if isinstance(paired, str) else paired
    places = [s.location for s in sites] + [facility.location]
    t_in = sum(ctx.travel.flight(asset, a, b)[1] for a, b in zip(places, places[1:]))
    fly_in = minutes_up(t_in + len(sites) * ctx.travel.load_s + ctx.travel.unload_s)
    escort_min = minutes_up(escort.back_at_base - escort.wheels_up) if escort else 0
    return Option(site.index, f_index, fly_in, first, accepted, tuple(s.index for s in then), escort_min)


def _spread(found: list[Option]) -> list[Option]:
    """Keep the earliest options, but always one per distinct set of classes received."""
    kept, seen = [], set()
    for option in found:
        key = tuple(option.classes)
        if key not in seen or len(kept) < MAX_FACILITIES_PER_SITE:
            kept.append(option)
            seen.add(key)
    return kept


def _mark_daylight(ctx: PlanningContext, result: AssetOptions, ready_s: int) -> None:
    asset = result.asset
    if asset.kind == "ground":
        return
    for i, option in enumerate(result.options):
        facility = ctx.facilities[option.facility]
        if not asset.night_capable or not facility.night_landing:
            result.day_limited.add(i)
    if not result.day_limited:
        return
    base = asset.base
    start = ctx.at(ready_s)
    dawn = next_daylight(base.lat, base.lon, start) or start
    dusk = next_dusk(base.lat, base.lon, dawn)
    # Dusk comes first in the west of a theatre only by minutes; keep a margin instead of a map.
    result.day_window = (minutes_up(int((dawn - ctx.now).total_seconds())),
                         int((dusk - ctx.now).total_seconds()) // 60 - 20)
