"""The dispatcher's rule: first come first served, the free capable asset that reaches the
pickup first (paired with an armed escort where line 6 says X), the nearest capable facility, and
everyone waiting at the site, then at the incident's other points in turn, who fits aboard.

It is also the fallback of `optimized`, so it only uses cached timelines and the per-site
nearest-facility table: milliseconds even for hundreds of patients.
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import PlanningContext, Site
from medevac.dispatch.engine.escort import EscortLine
from medevac.dispatch.engine.model import AssetState, FacilityState, Patient
from medevac.dispatch.engine.collect import board, collect
from medevac.dispatch.engine.sorties import Choice
from medevac.dispatch.engine.travel import Launch, Timeline


def closest_choices(ctx: PlanningContext) -> dict[str, list[Choice]]:
    launches = {a.id: ctx.launch(a) for a in ctx.assets}
    beds = {f.id: f.beds_left for f in ctx.facilities}
    choices: dict[str, list[Choice]] = {a.id: [] for a in ctx.assets}
    waiting = {site.index: list(site.patients) for site in ctx.sites}
    for site in ctx.sites:  # sites are in order of their call
        while waiting[site.index]:
            lead = waiting[site.index][0]
            pick = _dispatch(ctx, site, lead, launches, beds)
            if pick is None:
                waiting[site.index].pop(0)
                continue
            choices[pick[0].id].append(load(ctx, site, pick, waiting, beds, launches))
    return choices


def load(ctx: PlanningContext, site: Site, pick: tuple, waiting: dict[int, list[Patient]], beds: dict[str, int],
         launches: dict[str, Launch]) -> Choice:
    """Board everyone at the site and at the incident's other points who fits; commit the sortie."""
    asset, facility, line, escort = pick
    aboard = board(ctx, asset, facility, waiting[site.index], beds[facility.id])
    aboard, then, line, escort = collect(ctx, asset, launches[asset.id], site, facility, aboard, waiting,
                                         beds[facility.id], launches, line, escort)
    beds[facility.id] -= len(aboard)
    commit(ctx, launches, asset, facility, line, escort)
    for s in (site, *then):
        waiting[s.index] = [p for p in waiting[s.index] if p not in aboard]
    return Choice(site.index, ctx.facility_index[facility.id], tuple(p.id for p in aboard),
                  tuple(s.index for s in then), escort.asset.id if escort else None)


def commit(ctx, launches: dict[str, Launch], asset, facility, line: Timeline, escort: EscortLine | None) -> None:
    """The carrier (and its escort) are busy until the sortie leaves them free."""
    launches[asset.id] = ctx.after(asset, facility, line)
    if escort is not None:
        launches[escort.asset.id] = escort.next_launch


def _dispatch(ctx, site: Site, lead: Patient, launches: dict[str, Launch], beds: dict[str, int]):
    """Free assets first (earliest at the pickup); if none is free, the first to come free."""
    best, best_key = None, None
    for bound, asset in sorted((_key(launches[a.id], ctx.soonest_at_pickup(a, launches[a.id], site), a.id), a)
                               for a in ctx.assets if not ctx.carry_rejects(a, lead)):
        if best_key is not None and bound > best_key:
            break  # every asset left arrives later even by its bound: none can win
        launch = launches[asset.id]
        found = nearest_facility(ctx, asset, launch, site, lead, beds, launches)
        if found is None:
            continue
        facility, line, escort = found
        key = _key(launch, line.at_pickup, asset.id)
        if best_key is None or key < best_key:
            best, best_key = (asset, facility, line, escort), key
    return best


def _key(launch: Launch, at_pickup: int, asset_id: str) -> tuple:
    return (launch.ready > 0, launch.ready if launch.ready > 0 else 0, at_pickup, asset_id)


def nearest_facility(
    ctx: PlanningContext, asset: AssetState, launch: Launch, site: Site, patient: Patient, beds: dict[str, int],
    launches: dict[str, Launch],
) -> tuple[FacilityState, Timeline, EscortLine | None] | None:
    for index in ctx.facilities_by_distance[site.index]:
        facility = ctx.facilities[index]
        if beds[facility.id] <= 0 or rules.facility_rejects(facility, patient):
            continue
        paired = ctx.paired(asset, launch, site, facility, (), launches)
        if not isinstance(paired, str):
            return facility, *paired
    return None

