"""CP-SAT sortie-slot model (DESIGN §2): each asset gets K slots, each slot flies one
precomputed (site, facility) option, slot k+1 leaves from slot k's facility, and patient classes
are shared out over (slot, option) loads.

The objective is the exact lexicographic score of `sorties.score`: a first sortie's handover is
precomputed, so each patient it carries is worth exactly `patient_points` at that handover. A
chained slot is valued at the soonest it could hand over (after the asset's earliest first
handover and its shortest turn): optimistic, so the plan read back is flown and scored exactly
before it is preferred to anything. A variable chained handover with deadline literals (big-M)
was tried and measured: at 24 patients / 8 assets two such waves found nothing better than
their hint in 2 s; two waves of this model were proven optimal in 0.11 s.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.slots import AssetOptions, PatientClass, minutes_up
from medevac.dispatch.engine.sorties import ESCORT_MINUTE_COST, FLIGHT_MINUTE_COST, Choice, patient_points
from medevac.dispatch.engine.travel import notice_to_move_s

RESERVE_POINTS = 3_000  # coverage: cost of spending a scarce night asset on a non-urgent patient
STALL_S = 0.3
STALL_GAIN = 1e-3


@dataclass
class SlotVars:
    used: cp_model.IntVar
    pick: dict[int, cp_model.IntVar]  # option index → Boolean
    handover: dict[int, int]  # option index → handover minutes (a chained slot's soonest)
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
    slots = {}
    for a in assets:
        if time_left() <= 0:
            return Solved({}, "NOT_STARTED", 0.0, 0.0)
        slots[a.asset.id] = _slots(model, ctx, classes, a, waves)
    _share_classes(model, classes, slots)
    _cap_beds(model, ctx, assets, slots)
    model.maximize(_objective(ctx, classes, assets, slots))
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
    stall = _StallStop(solver)
    solver.best_bound_callback = stall.on_bound
    status = solver.solve(model, stall)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solved({}, name, 0.0, 0.0)
    return Solved(_read(solver, classes, assets, slots), name, solver.objective_value, solver.best_objective_bound)


class _StallStop(cp_model.CpSolverSolutionCallback):
    """Stop once no solution has improved the best by STALL_GAIN for STALL_S: the last
    fractions of a percent are not worth a dispatcher's wait. Checked on every solution and
    every bound improvement, which CP-SAT reports often while it searches."""

    def __init__(self, solver: cp_model.CpSolver):
        super().__init__()
        self.solver = solver
        self.best: float | None = None
        self.gains = 0  # the hint comes first: only a search that has improved on it can stall
        self.since = time.perf_counter()

    def on_solution_callback(self) -> None:
        value = self.objective_value
        if self.best is None or value - self.best > STALL_GAIN * max(1.0, abs(self.best)):
            self.best, self.since, self.gains = value, time.perf_counter(), self.gains + 1

    def on_bound(self, _bound: float) -> None:
        if self.gains >= 2 and time.perf_counter() - self.since > STALL_S:
            self.solver.stop_search()


def _slots(model, ctx, classes, a: AssetOptions, waves: int) -> list[SlotVars]:
    out: list[SlotVars] = []
    soonest = _soonest_handovers(ctx, a, waves)
    for k in range(waves):
        dusk = a.day_window[1]
        eligible = [i for i in soonest[k] if i not in a.day_limited or k == 0 or soonest[k][i] <= dusk]
        pick = {i: model.new_bool_var(f"y_{a.asset.id}_{k}_{i}") for i in eligible}
        used = model.new_bool_var(f"used_{a.asset.id}_{k}")
        model.add(sum(pick.values()) == used)
        if k > 0:
            model.add_implication(used, out[-1].used)  # slots fill in order: symmetry breaking
            _forbid_out_of_range(model, ctx, a, out[-1].pick, pick)
        slot = SlotVars(used, pick, {i: soonest[k][i] for i in eligible})
        _load(model, a, classes, slot, f"{a.asset.id}_{k}")
        out.append(slot)
    return out


def _soonest_handovers(ctx, a: AssetOptions, waves: int) -> list[dict[int, int]]:
    """Per slot, option index → handover minutes: exact for a first sortie; for a chained one,
    the soonest it could be (after the earliest previous handover and the shortest turn)."""
    options = a.options
    first = {i: minutes_up(o.first.handover) for i, o in enumerate(options) if o.first is not None}
    out = [first]
    facilities = {o.facility for o in options}
    turn_to = {s: min(_turn_min(ctx, a, f, s) for f in facilities) for s in {o.site for o in options}}
    for _ in range(1, waves):
        earliest = min(out[-1].values(), default=None)
        if earliest is None:
            out.append({})
            continue
        out.append({i: max(earliest + turn_to[o.site] + o.fly_in_min,
                           ctx.sites[o.site].not_before // 60 + o.fly_in_min)
                    for i, o in enumerate(options)})
    return out


def _turn_min(ctx, a: AssetOptions, f: int, s: int) -> int:
    """Minutes from handing over at facility f to being over site s (refuel there, or via base)."""
    asset, facility, site = a.asset, ctx.facilities[f], ctx.sites[s].location
    if facility.refuel:
        return minutes_up(ctx.travel.flight(asset, facility.location, site)[1])
    ntm = notice_to_move_s(asset, ctx.now) if asset.night_capable else asset.notice_to_move_min.day * 60
    return minutes_up(ctx.travel.flight(asset, facility.location, asset.base)[1] + int(ntm)
                      + ctx.travel.flight(asset, asset.base, site)[1])


def _forbid_out_of_range(model, ctx, a: AssetOptions, prev_pick: dict, pick: dict) -> None:
    """A chained option must be in range from where the previous slot leaves the asset."""
    asset, options = a.asset, a.options
    for f in sorted({options[i].facility for i in prev_pick}):
        start = ctx.facilities[f]
        origin = start.location if start.refuel else asset.base
        banned = [p for i, p in pick.items() if _sortie_km(ctx, asset, origin, options[i]) > asset.range_km]
        came_here = [q for i, q in prev_pick.items() if options[i].facility == f]
        for p in banned:
            model.add(sum(came_here) + p <= 1)


def _sortie_km(ctx, asset, origin, option) -> float:
    facility = ctx.facilities[option.facility]
    places = [origin, *(ctx.sites[i].location for i in (option.site, *option.then)), facility.location]
    back = 0.0 if facility.refuel else ctx.travel.flight(asset, facility.location, asset.base)[0]
    return sum(ctx.travel.flight(asset, a, b)[0] for a, b in zip(places, places[1:])) + back


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


def _objective(ctx, classes, assets: list[AssetOptions], slots):
    """The exact score of the plan read back, chained sorties at their soonest handover."""
    terms = []
    night_assets = sum(a.asset.night_capable and a.asset.kind != "ground" for a in assets)
    for a in assets:
        scarce = a.asset.night_capable and a.asset.kind != "ground" and night_assets <= 2
        for k, s in enumerate(slots[a.asset.id]):
            for (i, c), x in s.load.items():
                lead = classes[c].lead
                reserve = RESERVE_POINTS if scarce and lead.precedence in "CDE" else 0
                handover_s = a.options[i].first.handover if k == 0 else s.handover[i] * 60
                terms.append(round(patient_points(ctx, lead, handover_s) - reserve) * x)
            for i, p in s.pick.items():
                terms.append(-(FLIGHT_MINUTE_COST * _flight_min(a, i, k) + s.handover[i]) * p)  # ties: sooner
    return sum(terms)


def _flight_min(a: AssetOptions, i: int, k: int) -> int:
    """The cost of the flying, in points per minute (the escort's minutes at their own price)."""
    option = a.options[i]
    if k == 0:
        escort = round(ESCORT_MINUTE_COST / FLIGHT_MINUTE_COST * option.escort_min)
        return minutes_up(option.first.free_at - option.first.wheels_up) + escort
    return option.fly_in_min + 30  # a chained sortie's transit is unknown here: a nominal half hour


def _add_hint(model, classes, assets: list[AssetOptions], slots, hint: dict[str, list[Choice]]) -> None:
    """Hint a known plan, slot k = its k-th sortie (the order the symmetry breaking demands)."""
    class_of = {p.id: c for c, cls in enumerate(classes) for p in cls.patients}
    for a in assets:
        position = {(o.site, o.facility, o.then): i for i, o in enumerate(a.options)}
        sorties = hint.get(a.asset.id, [])
        for k, s in enumerate(slots[a.asset.id]):
            choice = sorties[k] if k < len(sorties) else None
            index = position.get((choice.site, choice.facility, choice.then)) if choice else None
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
                option = a.options[index]
                chain.append(Choice(option.site, option.facility, tuple(ids), option.then))
        choices[a.asset.id] = chain
    return choices
