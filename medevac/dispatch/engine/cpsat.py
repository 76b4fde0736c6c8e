"""CP-SAT sortie-slot model (DESIGN §2): each asset gets K slots, each slot flies one
precomputed (site, facility) option, slot k+1 leaves from slot k's facility, and patient classes
are shared out over slots. One weighted objective: urgent on time ≫ served ≫ minutes ≫ flying.
"""

from dataclasses import dataclass

from ortools.sat.python import cp_model

from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.slots import AssetOptions, PatientClass, minutes_up
from medevac.dispatch.engine.sorties import SERVED_POINTS, Choice
from medevac.dispatch.engine.travel import notice_to_move_s

RESERVE_POINTS = 3_000  # coverage: cost of spending a scarce night asset on a non-urgent patient


@dataclass
class SlotVars:
    used: cp_model.IntVar
    pick: list[cp_model.IntVar]  # one Boolean per option
    handover: cp_model.IntVar | cp_model.LinearExpr
    load: dict[int, cp_model.IntVar]  # class index → patients aboard


@dataclass
class Solved:
    choices: dict[str, list[Choice]]
    status: str
    objective: float
    bound: float


def solve(ctx: PlanningContext, classes: list[PatientClass], assets: list[AssetOptions], waves: int,
          time_limit_s: float, hint: dict[str, list[Choice]] | None = None) -> Solved:
    model = cp_model.CpModel()
    horizon = 48 * 60 + max((s.not_before // 60 for s in ctx.sites), default=0)
    slots = {a.asset.id: _slots(model, ctx, classes, a, waves, horizon) for a in assets}
    _share_classes(model, classes, slots)
    _cap_beds(model, ctx, assets, slots)
    model.maximize(_objective(model, classes, assets, slots))
    if hint:
        _add_hint(model, classes, assets, slots, hint)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, time_limit_s)
    params.num_workers = 1
    params.linearization_level = 2
    params.cp_model_probing_level = 0
    params.symmetry_level = 0
    status = solver.solve(model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solved({}, name, 0.0, 0.0)
    return Solved(_read(solver, classes, assets, slots), name, solver.objective_value, solver.best_objective_bound)


def _slots(model, ctx, classes, a: AssetOptions, waves: int, horizon: int) -> list[SlotVars]:
    out: list[SlotVars] = []
    for k in range(waves):
        pick = [model.new_bool_var(f"y_{a.asset.id}_{k}_{i}") for i in range(len(a.options))]
        used = model.new_bool_var(f"used_{a.asset.id}_{k}")
        model.add(sum(pick) == used)
        if k == 0:
            for p, o in zip(pick, a.options):
                if o.first is None:
                    model.add(p == 0)
            handover = sum(p * minutes_up(o.first.handover) for p, o in zip(pick, a.options) if o.first)
        else:
            model.add_implication(used, out[-1].used)  # slots fill in order: symmetry breaking
            handover = _chain(model, ctx, a, out[-1], pick, used, horizon, f"{a.asset.id}_{k}")
        load = _load(model, a, classes, pick, used, f"{a.asset.id}_{k}")
        out.append(SlotVars(used, pick, handover, load))
    return out


def _chain(model, ctx, a: AssetOptions, prev: SlotVars, pick, used, horizon: int, tag: str):
    """Handover of a chained slot: previous handover + turn from its facility + the option."""
    asset = a.asset
    facilities = sorted({o.facility for o in a.options})
    sites = sorted({o.site for o in a.options})
    f_pos, s_pos = {f: i for i, f in enumerate(facilities)}, {s: i for i, s in enumerate(sites)}
    ntm = notice_to_move_s(asset, ctx.now) if asset.night_capable else asset.notice_to_move_min.day * 60
    table = []
    for f in facilities:
        facility = ctx.facilities[f]
        for s in sites:
            site = ctx.sites[s].location
            if facility.refuel:
                turn = ctx.travel.flight(asset, facility.location, site)[1]
            else:
                turn = (ctx.travel.flight(asset, facility.location, asset.base)[1] + int(ntm)
                        + ctx.travel.flight(asset, asset.base, site)[1])
            table.append(minutes_up(turn))
    f_prev = model.new_int_var(0, len(facilities) - 1, f"fprev_{tag}")
    s_next = model.new_int_var(0, len(sites) - 1, f"snext_{tag}")
    model.add(f_prev == sum(p * f_pos[o.facility] for p, o in zip(prev.pick, a.options)))
    model.add(s_next == sum(p * s_pos[o.site] for p, o in zip(pick, a.options)))
    turn = model.new_int_var(0, max(table), f"turn_{tag}")
    model.add_element(f_prev * len(sites) + s_next, table, turn)
    _forbid_out_of_range(model, ctx, a, prev, pick)
    handover = model.new_int_var(0, horizon, f"h_{tag}")
    fly_in = sum(p * o.fly_in_min for p, o in zip(pick, a.options))
    ready = sum(p * (ctx.sites[o.site].not_before // 60) for p, o in zip(pick, a.options))
    model.add(handover >= prev.handover + turn + fly_in).only_enforce_if(used)
    model.add(handover >= ready + fly_in).only_enforce_if(used)
    dawn, dusk = a.day_window
    for i in a.day_limited:
        model.add(handover <= dusk).only_enforce_if(pick[i])
        model.add(prev.handover >= dawn).only_enforce_if(pick[i])
    return handover


def _forbid_out_of_range(model, ctx, a: AssetOptions, prev: SlotVars, pick) -> None:
    """A chained option must be in range from where the previous slot leaves the asset."""
    asset = a.asset
    for f in sorted({o.facility for o in a.options}):
        start = ctx.facilities[f]
        origin = start.location if start.refuel else asset.base
        banned = [p for p, o in zip(pick, a.options) if _sortie_km(ctx, asset, origin, o) > asset.range_km]
        if not banned:
            continue
        came_here = [q for q, o in zip(prev.pick, a.options) if o.facility == f]
        for p in banned:
            model.add(sum(came_here) + p <= 1)


def _sortie_km(ctx, asset, origin, option) -> float:
    site, facility = ctx.sites[option.site].location, ctx.facilities[option.facility]
    back = 0.0 if facility.refuel else ctx.travel.flight(asset, facility.location, asset.base)[0]
    return ctx.travel.flight(asset, origin, site)[0] + ctx.travel.flight(asset, site, facility.location)[0] + back


def _load(model, a: AssetOptions, classes, pick, used, tag: str) -> dict[int, cp_model.IntVar]:
    asset = a.asset
    load: dict[int, cp_model.IntVar] = {}
    for c in sorted({c for o in a.options for c in o.classes}):
        cap = min(classes[c].count, asset.litters if classes[c].litter else asset.litters + asset.seats)
        if cap <= 0:
            continue
        x = model.new_int_var(0, cap, f"x_{tag}_{c}")
        model.add(x <= cap * sum(p for p, o in zip(pick, a.options) if c in o.classes))
        load[c] = x
    litters = [x for c, x in load.items() if classes[c].litter]
    model.add(sum(litters) <= asset.litters * used)
    model.add(sum(load.values()) <= (asset.litters + asset.seats) * used)
    return load


def _share_classes(model, classes, slots) -> None:
    for c, cls in enumerate(classes):
        aboard = [s.load[c] for chain in slots.values() for s in chain if c in s.load]
        if aboard:
            model.add(sum(aboard) <= cls.count)


def _cap_beds(model, ctx, assets: list[AssetOptions], slots) -> None:
    """Beds: only where demand could exceed them (a slot's load counts at its facility)."""
    for f, facility in enumerate(ctx.facilities):
        inbound = []
        for a in assets:
            for k, s in enumerate(slots[a.asset.id]):
                to_f = [p for p, o in zip(s.pick, a.options) if o.facility == f]
                if to_f and s.load:
                    inbound.append((sum(to_f), sum(s.load.values()), a.asset.litters + a.asset.seats, f"{a.asset.id}_{k}"))
        if sum(cap for _, _, cap, _ in inbound) <= facility.beds_left:
            continue
        counted = []
        for goes, load, cap, tag in inbound:
            u = model.new_int_var(0, cap, f"beds_{f}_{tag}")
            model.add(u >= load - cap * (1 - goes))
            counted.append(u)
        model.add(sum(counted) <= facility.beds_left)


def _objective(model, classes, assets: list[AssetOptions], slots):
    terms = []
    night_assets = sum(a.asset.night_capable and a.asset.kind != "ground" for a in assets)
    for a in assets:
        scarce = a.asset.night_capable and a.asset.kind != "ground" and night_assets <= 2
        for k, s in enumerate(slots[a.asset.id]):
            for c, x in s.load.items():
                cls = classes[c]
                p = cls.patients[0].precedence
                terms.append((SERVED_POINTS[p] - (RESERVE_POINTS if scarce and p in "CDE" else 0)) * x)
                terms.extend(_on_time(model, a, k, s, c, cls, x))
            terms.append(-1 * s.handover)
            terms.append(-sum(p * (o.fly_in_min + (o.first.at_pickup // 60 if k == 0 and o.first else 30))
                              for p, o in zip(s.pick, a.options)))
    return sum(terms)


def _on_time(model, a: AssetOptions, k: int, s: SlotVars, c: int, cls: PatientClass, x) -> list:
    """Patients of class c in this slot handed over by each of the class's deadlines."""
    terms = []
    for deadline, points in cls.deadlines:
        on_time = model.new_int_var(0, cls.count, "")
        model.add(on_time <= x)
        if k == 0:  # first sorties have exact precomputed handovers
            fits = [p for p, o in zip(s.pick, a.options)
                    if c in o.classes and o.first and minutes_up(o.first.handover) <= deadline]
            if not fits:
                continue
            model.add(on_time <= cls.count * sum(fits))
        else:
            in_time = model.new_bool_var("")
            model.add(s.handover <= deadline).only_enforce_if(in_time)
            model.add(on_time <= cls.count * in_time)
        terms.append(points * on_time)
    return terms


def _add_hint(model, classes, assets: list[AssetOptions], slots, hint: dict[str, list[Choice]]) -> None:
    """Hint a known plan, slot k = its k-th sortie (the order the symmetry breaking demands)."""
    class_of = {p.id: c for c, cls in enumerate(classes) for p in cls.patients}
    for a in assets:
        chain = slots[a.asset.id]
        position = {(o.site, o.facility): i for i, o in enumerate(a.options)}
        sorties = hint.get(a.asset.id, [])
        for k, s in enumerate(chain):
            choice = sorties[k] if k < len(sorties) else None
            index = position.get((choice.site, choice.facility)) if choice else None
            if index is None:
                sorties = sorties[:k]  # later slots cannot be hinted once one is missing
            for i, p in enumerate(s.pick):
                model.add_hint(p, i == index)
            model.add_hint(s.used, index is not None)
            counts: dict[int, int] = {}
            for pid in (choice.patient_ids if index is not None else ()):
                counts[class_of[pid]] = counts.get(class_of[pid], 0) + 1
            for c, x in s.load.items():
                model.add_hint(x, counts.get(c, 0))


def _read(solver, classes, assets: list[AssetOptions], slots) -> dict[str, list[Choice]]:
    remaining = {c: [p.id for p in cls.patients] for c, cls in enumerate(classes)}
    choices: dict[str, list[Choice]] = {}
    for a in assets:
        chain = []
        for s in slots[a.asset.id]:
            if not solver.boolean_value(s.used):
                break
            option = next(o for p, o in zip(s.pick, a.options) if solver.boolean_value(p))
            ids: list[str] = []
            for c, x in s.load.items():
                n = solver.value(x)
                ids += remaining[c][:n]
                remaining[c] = remaining[c][n:]
            if ids:
                chain.append(Choice(option.site, option.facility, tuple(ids)))
        choices[a.asset.id] = chain
    return choices
