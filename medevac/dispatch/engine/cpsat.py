"""CP-SAT sortie-slot model (DESIGN §2): each asset gets K slots, each slot flies one
precomputed (site, facility) option, slot k+1 leaves from slot k's facility, and patient classes
are shared out over (slot, option) loads.

The objective is the exact lexicographic score of `sorties.score` wherever times are known:
a first sortie's handover is precomputed, so each patient it carries is worth exactly
`patient_points` at that handover. A chained slot's handover is a variable; its patients earn
their on-time points through deadline literals and their minute cost at the earliest time the
slot can hand over (a bound the exact score re-checks).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.slots import AssetOptions, PatientClass, minutes_up
from medevac.dispatch.engine.sorties import FLIGHT_MINUTE_COST, MINUTE_COST, SERVED_POINTS, Choice, patient_points
from medevac.dispatch.engine.travel import notice_to_move_s

RESERVE_POINTS = 3_000  # coverage: cost of spending a scarce night asset on a non-urgent patient
MINUTES_COUNTED = 240


@dataclass
class SlotVars:
    used: cp_model.IntVar
    pick: dict[int, cp_model.IntVar]  # option index → Boolean
    handover: cp_model.IntVar | cp_model.LinearExpr
    load: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (option, class) → aboard
    cap: dict[tuple[int, int], int] = field(default_factory=dict)  # the load's upper bound


@dataclass
class Solved:
    choices: dict[str, list[Choice]]
    status: str
    objective: float
    bound: float


def solve(ctx: PlanningContext, classes: list[PatientClass], assets: list[AssetOptions], waves: int,
          time_left: Callable[[], float], hint: dict[str, list[Choice]] | None = None) -> Solved:
    """Build and solve; `time_left()` is asked once the model is built (building counts too)."""
    model = cp_model.CpModel()
    horizon = 48 * 60 + max((s.not_before // 60 for s in ctx.sites), default=0)
    slots = {a.asset.id: _slots(model, ctx, classes, a, waves, horizon) for a in assets}
    _share_classes(model, classes, slots)
    _cap_beds(model, ctx, assets, slots)
    model.maximize(_objective(model, ctx, classes, assets, slots))
    if hint:
        _add_hint(model, classes, assets, slots, hint)
    budget = time_left()
    if budget <= 0:
        return Solved({}, "NOT_STARTED", 0.0, 0.0)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = budget
    params.num_workers = 1
    params.linearization_level = 2
    params.cp_model_probing_level = 0
    params.symmetry_level = 0
    params.relative_gap_limit = 1e-4
    status = solver.solve(model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solved({}, name, 0.0, 0.0)
    return Solved(_read(solver, classes, assets, slots), name, solver.objective_value, solver.best_objective_bound)


def _slots(model, ctx, classes, a: AssetOptions, waves: int, horizon: int) -> list[SlotVars]:
    out: list[SlotVars] = []
    for k in range(waves):
        eligible = [i for i, o in enumerate(a.options) if k > 0 or o.first is not None]
        pick = {i: model.new_bool_var(f"y_{a.asset.id}_{k}_{i}") for i in eligible}
        used = model.new_bool_var(f"used_{a.asset.id}_{k}")
        model.add(sum(pick.values()) == used)
        if k == 0:
            handover = sum(p * minutes_up(a.options[i].first.handover) for i, p in pick.items())
        else:
            model.add_implication(used, out[-1].used)  # slots fill in order: symmetry breaking
            handover = _chain(model, ctx, a, out[-1], pick, used, horizon, f"{a.asset.id}_{k}")
        slot = SlotVars(used, pick, handover)
        _load(model, a, classes, slot, f"{a.asset.id}_{k}")
        out.append(slot)
    return out


def _chain(model, ctx, a: AssetOptions, prev: SlotVars, pick, used, horizon: int, tag: str):
    """Handover of a chained slot: previous handover + turn from its facility + the option."""
    options = a.options
    handover = model.new_int_var(0, horizon, f"h_{tag}")
    came_from = _indicators(model, prev.pick, lambda i: options[i].facility)
    going_to = _indicators(model, pick, lambda i: options[i].site)
    lag = model.new_int_var(0, horizon, f"lag_{tag}")  # turn + fly-in of the chosen option
    model.add(lag >= sum(p * options[i].fly_in_min for i, p in pick.items()) + min(
        _turn_min(ctx, a, f, s) for f in came_from for s in going_to))
    for f, at_f in came_from.items():
        for s, to_s in going_to.items():
            fly_in = sum(p * options[i].fly_in_min for i, p in pick.items() if options[i].site == s)
            model.add(lag >= _turn_min(ctx, a, f, s) + fly_in).only_enforce_if(at_f, to_s)
    _forbid_out_of_range(model, ctx, a, prev, pick)
    ready = sum(p * (ctx.sites[options[i].site].not_before // 60) for i, p in pick.items())
    fly_in = sum(p * options[i].fly_in_min for i, p in pick.items())
    model.add(handover >= prev.handover + lag).only_enforce_if(used)
    model.add(handover >= ready + fly_in).only_enforce_if(used)
    dawn, dusk = a.day_window
    for i in a.day_limited:
        if i in pick:
            model.add(handover <= dusk).only_enforce_if(pick[i])
            model.add(prev.handover >= dawn).only_enforce_if(pick[i])
    return handover


def _indicators(model, pick: dict, key) -> dict:
    """One literal per distinct key (facility or site): true when the slot's option has it."""
    groups: dict[int, list] = {}
    for i, p in pick.items():
        groups.setdefault(key(i), []).append(p)
    out = {}
    for k, ps in groups.items():
        if len(ps) == 1:
            out[k] = ps[0]
        else:
            out[k] = model.new_bool_var("")
            model.add(sum(ps) == out[k])
    return out


def _turn_min(ctx, a: AssetOptions, f: int, s: int) -> int:
    """Minutes from handing over at facility f to being over site s (refuel there, or via base)."""
    asset, facility, site = a.asset, ctx.facilities[f], ctx.sites[s].location
    if facility.refuel:
        return minutes_up(ctx.travel.flight(asset, facility.location, site)[1])
    ntm = notice_to_move_s(asset, ctx.now) if asset.night_capable else asset.notice_to_move_min.day * 60
    return minutes_up(ctx.travel.flight(asset, facility.location, asset.base)[1] + int(ntm)
                      + ctx.travel.flight(asset, asset.base, site)[1])


def _forbid_out_of_range(model, ctx, a: AssetOptions, prev: SlotVars, pick) -> None:
    """A chained option must be in range from where the previous slot leaves the asset."""
    asset, options = a.asset, a.options
    for f in sorted({options[i].facility for i in prev.pick}):
        start = ctx.facilities[f]
        origin = start.location if start.refuel else asset.base
        banned = [p for i, p in pick.items() if _sortie_km(ctx, asset, origin, options[i]) > asset.range_km]
        came_here = [q for i, q in prev.pick.items() if options[i].facility == f]
        for p in banned:
            model.add(sum(came_here) + p <= 1)


def _sortie_km(ctx, asset, origin, option) -> float:
    site, facility = ctx.sites[option.site].location, ctx.facilities[option.facility]
    back = 0.0 if facility.refuel else ctx.travel.flight(asset, facility.location, asset.base)[0]
    return ctx.travel.flight(asset, origin, site)[0] + ctx.travel.flight(asset, site, facility.location)[0] + back


def _load(model, a: AssetOptions, classes, slot: SlotVars, tag: str) -> None:
    asset = a.asset
    for i, p in slot.pick.items():
        aboard, litters = [], []
        for c in a.options[i].classes:
            cap = min(classes[c].count, asset.litters if classes[c].litter else asset.litters + asset.seats)
            if cap <= 0:
                continue
            x = model.new_int_var(0, cap, f"x_{tag}_{i}_{c}")
            slot.load[(i, c)], slot.cap[(i, c)] = x, cap
            aboard.append(x)
            if classes[c].litter:
                litters.append(x)
        model.add(sum(aboard) <= (asset.litters + asset.seats) * p)
        if litters:
            model.add(sum(litters) <= asset.litters * p)


def _share_classes(model, classes, slots) -> None:
    aboard: dict[int, list] = {}
    for chain in slots.values():
        for s in chain:
            for (_, c), x in s.load.items():
                aboard.setdefault(c, []).append(x)
    for c, xs in aboard.items():
        if len(xs) > 1:
            model.add(sum(xs) <= classes[c].count)


def _cap_beds(model, ctx, assets: list[AssetOptions], slots) -> None:
    """Beds: only where demand could exceed them."""
    for f, facility in enumerate(ctx.facilities):
        inbound = [(x, s.cap[key]) for a in assets for s in slots[a.asset.id] for key, x in s.load.items()
                   if a.options[key[0]].facility == f]
        if sum(cap for _, cap in inbound) > facility.beds_left:
            model.add(sum(x for x, _ in inbound) <= facility.beds_left)


def _objective(model, ctx, classes, assets: list[AssetOptions], slots):
    terms = []
    night_assets = sum(a.asset.night_capable and a.asset.kind != "ground" for a in assets)
    for a in assets:
        scarce = a.asset.night_capable and a.asset.kind != "ground" and night_assets <= 2
        firsts = [o for o in a.options if o.first]
        earliest = min((minutes_up(o.first.handover) for o in firsts), default=0)
        turn_to = {site: min((_turn_min(ctx, a, f, site) for f in {o.facility for o in firsts}), default=0)
                   for site in {o.site for o in a.options}}
        for k, s in enumerate(slots[a.asset.id]):
            for (i, c), x in s.load.items():
                lead = classes[c].lead
                reserve = RESERVE_POINTS if scarce and lead.precedence in "CDE" else 0
                if k == 0:
                    value = patient_points(ctx, lead, a.options[i].first.handover)
                else:
                    soonest = earliest + turn_to[a.options[i].site] + a.options[i].fly_in_min
                    value = SERVED_POINTS[lead.precedence] - MINUTE_COST[lead.precedence] * min(
                        MINUTES_COUNTED, soonest)
                terms.append(round(value - reserve) * x)
            if k > 0:
                terms.extend(_chained_on_time(model, classes, s))
            terms.append(-FLIGHT_MINUTE_COST * sum(p * _flight_min(ctx, a, i, k) for i, p in s.pick.items()))
            terms.append(-1 * s.handover)  # ties: earlier is better
    return sum(terms)


def _flight_min(ctx, a: AssetOptions, i: int, k: int) -> int:
    option = a.options[i]
    if k == 0:
        return minutes_up(option.first.free_at - option.first.wheels_up)
    return option.fly_in_min + 30  # a chained sortie's transit is unknown here: a nominal half hour


def _chained_on_time(model, classes, s: SlotVars) -> list:
    """On-time points of a chained slot: one literal per distinct deadline, one count per class."""
    terms, in_time = [], {}
    by_class: dict[int, list] = {}
    for (_, c), x in s.load.items():
        by_class.setdefault(c, []).append(x)
    for c, xs in by_class.items():
        cls = classes[c]
        for deadline, points in cls.deadlines:
            if deadline not in in_time:
                in_time[deadline] = model.new_bool_var("")
                model.add(s.handover <= deadline).only_enforce_if(in_time[deadline])
            on_time = model.new_int_var(0, cls.count, "")
            model.add(on_time <= sum(xs))
            model.add(on_time <= cls.count * in_time[deadline])
            terms.append(points * on_time)
    return terms


def _add_hint(model, classes, assets: list[AssetOptions], slots, hint: dict[str, list[Choice]]) -> None:
    """Hint a known plan, slot k = its k-th sortie (the order the symmetry breaking demands)."""
    class_of = {p.id: c for c, cls in enumerate(classes) for p in cls.patients}
    for a in assets:
        position = {(o.site, o.facility): i for i, o in enumerate(a.options)}
        sorties = hint.get(a.asset.id, [])
        for k, s in enumerate(slots[a.asset.id]):
            choice = sorties[k] if k < len(sorties) else None
            index = position.get((choice.site, choice.facility)) if choice else None
            if index not in s.pick:
                index, sorties = None, sorties[:k]  # later slots cannot be hinted once one is missing
            for i, p in s.pick.items():
                model.add_hint(p, i == index)
            model.add_hint(s.used, index is not None)
            counts: dict[int, int] = {}
            for pid in (choice.patient_ids if index is not None else ()):
                counts[class_of[pid]] = counts.get(class_of[pid], 0) + 1
            for (i, c), x in s.load.items():
                model.add_hint(x, min(counts.get(c, 0), s.cap[(i, c)]) if i == index else 0)


def _read(solver, classes, assets: list[AssetOptions], slots) -> dict[str, list[Choice]]:
    remaining = {c: [p.id for p in cls.patients] for c, cls in enumerate(classes)}
    choices: dict[str, list[Choice]] = {}
    for a in assets:
        chain = []
        for s in slots[a.asset.id]:
            if not solver.boolean_value(s.used):
                break
            index = next(i for i, p in s.pick.items() if solver.boolean_value(p))
            ids: list[str] = []
            for (i, c), x in s.load.items():
                n = solver.value(x) if i == index else 0
                ids += remaining[c][:n]
                remaining[c] = remaining[c][n:]
            if ids:
                chain.append(Choice(a.options[index].site, a.options[index].facility, tuple(ids)))
        choices[a.asset.id] = chain
    return choices
