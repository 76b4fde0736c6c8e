"""Multi-pickup sorties from the OR-Tools routing library, where they pay: sites a short hop apart
whose patients fit aboard one aircraft together (its litters to spare after the first site).

A pickup-and-delivery model over those sites only: one pickup node per site and one delivery
node at the nearest facility that may receive all of its patients; litter and seat capacity
dimensions; a time dimension in minutes from each asset's earliest wheels-up, costing every
patient-minute at the objective's minute cost; a site may be left out at the price of its
patients' points. Its routes become the engine's choices (pickups in a row until the aircraft is
empty become one sortie), the rest of the plan is chained greedily after them, and the exact score
decides against the other candidates: range with refuelling, night, beds and landing are checked
there, so a route breaking one cannot win. Everything else (urgent on time, coverage) is scored
exactly there too, which this model cannot state (see DESIGN §2 solver notes).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import PlanningContext, Site
from medevac.dispatch.engine.model import AssetState
from medevac.dispatch.engine.sorties import MINUTE_COST, ON_TIME_POINTS, SERVED_POINTS, Choice, boarding_rejects
from medevac.dispatch.engine.travel import Timeline, notice_to_move_s

HOP_KM = 40.0  # sites this close may be flown in one sortie
MAX_SITES = 16  # most urgent first: the model stays a fraction of a second
MAX_VEHICLES = 6  # the assets soonest at the cluster
KM_PER_DEG = 111.2
HORIZON_MIN = 3 * 1440


@dataclass
class Stop:
    site: Site
    facility: int  # the delivery: nearest facility that may receive every patient of the site
    vehicles: list[int]  # indices into the model's assets that may fly it


def clustered_sites(ctx: PlanningContext) -> list[Site]:
    """The gate: sites with another site within a short hop whose patients, together with
    theirs, fit aboard one of the assets (none: no model)."""
    most = max((a.litters + a.seats for a in ctx.assets), default=0)
    litters = max((a.litters for a in ctx.assets), default=0)
    small = sorted((s for s in ctx.sites if len(s.patients) < most and s.not_before == 0),
                   key=lambda s: s.location.lat)
    near: set[int] = set()
    for i, a in enumerate(small):  # a sweep by latitude: no geodesics for far pairs
        for b in small[i + 1:]:
            if (b.location.lat - a.location.lat) * KM_PER_DEG > HOP_KM:
                break
            if (len(a.patients) + len(b.patients) <= most and _litters(a) + _litters(b) <= litters
                    and 0.1 < _approx_km(a, b) <= HOP_KM):
                near.update((a.index, b.index))
    return [ctx.sites[i] for i in sorted(near)][:MAX_SITES]  # sites are ordered most urgent first


def _litters(site: Site) -> int:
    return sum(p.patient_type == "litter" for p in site.patients)


def _approx_km(a: Site, b: Site) -> float:
    dlon = (b.location.lon - a.location.lon) * math.cos(math.radians((a.location.lat + b.location.lat) / 2))
    return KM_PER_DEG * math.hypot(b.location.lat - a.location.lat, dlon)


def routing_choices(ctx: PlanningContext, sites: list[Site], time_limit_s: float) -> dict[str, list[Choice]]:
    """Routes for the clustered sites as chains of choices per asset ({} when nothing routes)."""
    if len(sites) < 2:
        return {}
    assets = _vehicles(ctx, sites)
    stops = [s for s in (_stop(ctx, site, assets) for site in sites) if s is not None]
    if len(stops) < 2 or not assets:
        return {}
    routes = _solve(ctx, assets, stops, time_limit_s)
    return {asset.id: _chain(ctx, asset, route) for asset, route in zip(assets, routes) if route}


def _vehicles(ctx: PlanningContext, sites: list[Site]) -> list[AssetState]:
    carriers = [a for a in ctx.assets if a.litters + a.seats >= 2]  # room for two sites
    soonest = {a.id: min(ctx.soonest_at_pickup(a, ctx.launch(a), s) for s in sites) for a in carriers}
    return sorted(carriers, key=lambda a: (soonest[a.id], a.id))[:MAX_VEHICLES]


def _stop(ctx: PlanningContext, site: Site, assets: list[AssetState]) -> Stop | None:
    count = len(site.patients)
    facility = next((i for i in ctx.facilities_by_distance[site.index]
                     if ctx.facilities[i].beds_left >= count
                     and not any(rules.facility_rejects(ctx.facilities[i], p) for p in site.patients)), None)
    if facility is None:
        return None
    litter = _litters(site)
    vehicles = [
        v for v, a in enumerate(assets)
        if rules.fits_aboard(a, litter, count - litter)
        and not any(boarding_rejects(ctx, a, ctx.facilities[facility], p) for p in site.patients)
        and not rules.landing_rejects(a, ctx.facilities[facility])
        and not rules.pickup_rejects(a, site.location, ctx.facilities)
    ]
    return Stop(site, facility, vehicles) if vehicles else None


def _solve(ctx: PlanningContext, assets: list[AssetState], stops: list[Stop],
           time_limit_s: float) -> list[list[tuple[Stop, bool]]]:
    """Each vehicle's route as (stop, is delivery) in order. Nodes: each vehicle's start and
    end, then a pickup and a delivery per stop."""
    nv = len(assets)
    pickup = {i: 2 * nv + 2 * i for i in range(len(stops))}
    manager = pywrapcp.RoutingIndexManager(2 * nv + 2 * len(stops), nv, list(range(nv)), list(range(nv, 2 * nv)))
    routing = pywrapcp.RoutingModel(manager)
    places = [ctx.launch(a).location for a in assets] + [None] * nv
    for stop in stops:
        places += [stop.site.location, ctx.facilities[stop.facility].location]
    load_min, unload_min = ctx.travel.load_s // 60, ctx.travel.unload_s // 60

    def minutes(asset: AssetState) -> Callable[[int, int], int]:
        """Service at the origin and flight, whole minutes; nothing to or from a route's end."""
        matrix = [[0 if a is None or b is None else service(i) + math.ceil(ctx.travel.flight(asset, a, b)[1] / 60)
                   for b in places] for i, a in enumerate(places)]
        return lambda i, j: matrix[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def service(node: int) -> int:
        return 0 if node < 2 * nv else load_min if (node - 2 * nv) % 2 == 0 else unload_min

    transits = [routing.RegisterTransitCallback(minutes(a)) for a in assets]
    for v, callback in enumerate(transits):
        routing.SetArcCostEvaluatorOfVehicle(callback, v)
    routing.AddDimensionWithVehicleTransits(transits, 0, HORIZON_MIN, False, "time")
    time = routing.GetDimensionOrDie("time")
    for v, asset in enumerate(assets):
        start = time.CumulVar(routing.Start(v))
        earliest = _wheels_up_min(ctx, asset)
        start.SetRange(earliest, earliest)
    _capacity(routing, manager, stops, nv, "litters", [a.litters for a in assets],
              lambda s: _litters(s.site))
    _capacity(routing, manager, stops, nv, "aboard", [a.litters + a.seats for a in assets],
              lambda s: len(s.site.patients))
    solver = routing.solver()
    for i, stop in enumerate(stops):
        p, d = manager.NodeToIndex(pickup[i]), manager.NodeToIndex(pickup[i] + 1)
        routing.AddPickupAndDelivery(p, d)
        solver.Add(routing.VehicleVar(p) == routing.VehicleVar(d))
        solver.Add(routing.ActiveVar(p) == routing.ActiveVar(d))
        solver.Add(time.CumulVar(p) <= time.CumulVar(d))
        routing.VehicleVar(p).SetValues([-1, *stop.vehicles])  # -1: left out
        patients = stop.site.patients
        routing.AddDisjunction([p], sum(SERVED_POINTS[x.precedence] + ON_TIME_POINTS[x.precedence] for x in patients))
        routing.AddDisjunction([d], 0)
        # Every minute until handover costs what it costs in the objective.
        time.SetCumulVarSoftUpperBound(d, 0, sum(MINUTE_COST[x.precedence] for x in patients))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return [[] for _ in assets]
    routes = []
    for v in range(nv):
        route, index = [], solution.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index) - 2 * nv
            route.append((stops[node // 2], node % 2 == 1))
            index = solution.Value(routing.NextVar(index))
        routes.append(route)
    return routes


def _capacity(routing, manager, stops: list[Stop], nv: int, name: str, capacities: list[int], load) -> None:
    def demand(index: int) -> int:
        node = manager.IndexToNode(index) - 2 * nv
        if node < 0:
            return 0
        return load(stops[node // 2]) * (-1 if node % 2 else 1)

    routing.AddDimensionWithVehicleCapacity(routing.RegisterUnaryTransitCallback(demand), 0, capacities, True, name)


def _wheels_up_min(ctx: PlanningContext, asset: AssetState) -> int:
    launch = ctx.launch(asset)
    ntm = notice_to_move_s(asset, ctx.at(launch.ready)) if launch.at_base else 0
    return math.ceil((launch.ready + ntm) / 60)


def _chain(ctx: PlanningContext, asset: AssetState, route: list[tuple[Stop, bool]]) -> list[Choice]:
    """Pickups in a row until the aircraft is empty make one sortie, to the last delivery's
    facility when it may receive everyone aboard; otherwise (or out of range, or at night where
    the asset may not fly) each site becomes its own sortie."""
    chain: list[Choice] = []
    picked: list[Stop] = []  # pickups of the current load, in order
    aboard = 0
    launch = ctx.launch(asset)
    for stop, delivery in route:
        if not delivery:
            picked.append(stop)
            aboard += 1
            continue
        aboard -= 1
        if aboard == 0:
            for choice in _sorties(ctx, asset, launch, picked, stop.facility):
                chain.append(choice)
                launch = _after(ctx, asset, launch, choice)
            picked = []
    return chain


def _sorties(ctx: PlanningContext, asset, launch, group: list[Stop], facility: int) -> list[Choice]:
    ids = tuple(p.id for s in group for p in s.site.patients)
    receiver = ctx.facilities[facility]
    if len(group) > 1 and not any(rules.facility_rejects(receiver, ctx.patients[pid]) for pid in ids):
        sites = tuple(s.site for s in group)
        if isinstance(ctx.timeline(asset, launch, sites[0], receiver, sites[1:]), Timeline):
            return [Choice(sites[0].index, facility, ids, tuple(s.index for s in sites[1:]))]
    return [Choice(s.site.index, s.facility, tuple(p.id for p in s.site.patients)) for s in group]


def _after(ctx: PlanningContext, asset, launch, choice: Choice):
    facility = ctx.facilities[choice.facility]
    then = tuple(ctx.sites[i] for i in choice.then)
    line = ctx.timeline(asset, launch, ctx.sites[choice.site], facility, then)
    return ctx.after(asset, facility, line) if isinstance(line, Timeline) else launch
