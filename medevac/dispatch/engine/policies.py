"""The policies behind one interface: `get_policy(name).plan(snapshot, time_limit_s=…) -> Plan`."""

import time
from typing import Protocol

from medevac.dispatch.engine.closest import closest_choices
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.cpsat import solve
from medevac.dispatch.engine.explain import recommendations
from medevac.dispatch.engine.greedy import greedy_choices
from medevac.dispatch.engine.model import Plan, Snapshot
from medevac.dispatch.engine.slots import LARGE_MODEL_CLASSES, build_classes, build_options
from medevac.dispatch.engine.sorties import Choice, fly_choices, score, to_sortie

# Budget kept back for reading the solution, checking it and writing explanations.
_RESERVE_S = 0.15


class Policy(Protocol):
    name: str

    def plan(self, snapshot: Snapshot, *, time_limit_s: float = 1.0, previous: Plan | None = None,
             explain: bool = True) -> Plan: ...


def _finish(ctx: PlanningContext, policy: str, choices: dict[str, list[Choice]], started: float,
            explain: bool, **extra) -> Plan:
    flown, unassigned = fly_choices(ctx, choices)
    return Plan(
        policy=policy, now=ctx.now, sorties=[to_sortie(ctx, f) for f in flown],
        recommendations=recommendations(ctx, flown, unassigned) if explain else [],
        unassigned=unassigned, score=round(score(ctx, flown), 1),
        solve_ms=round((time.perf_counter() - started) * 1000, 2), **extra,
    )


class Closest:
    name = "closest"

    def plan(self, snapshot, *, time_limit_s=1.0, previous=None, explain=True) -> Plan:
        started = time.perf_counter()
        ctx = PlanningContext(snapshot)
        return _finish(ctx, self.name, closest_choices(ctx), started, explain)


def _previous_choices(ctx: PlanningContext, previous: Plan | None) -> dict[str, list[Choice]]:
    """The previous plan's sorties that still refer to open patients: the warm start."""
    if previous is None:
        return {}
    site_of = {p.id: s.index for s in ctx.sites for p in s.patients}
    chains: dict[str, list[Choice]] = {}
    for sortie in previous.sorties:
        ids = tuple(pid for pid in sortie.patient_ids if pid in site_of)
        if ids and sortie.facility_id in ctx.facility_index:
            chains.setdefault(sortie.asset_id, []).append(
                Choice(site_of[ids[0]], ctx.facility_index[sortie.facility_id], ids))
    return {aid: chain for aid, chain in chains.items() if any(a.id == aid for a in ctx.assets)}


class Optimized:
    """CP-SAT sortie slots, warm-started, never worse than the plans it was hinted with."""

    name = "optimized"

    def __init__(self, waves: int | None = None):
        self.waves = waves

    def plan(self, snapshot, *, time_limit_s=1.0, previous=None, explain=True) -> Plan:
        started = time.perf_counter()
        ctx = PlanningContext(snapshot)
        fallback = closest_choices(ctx)
        if not ctx.sites:
            return _finish(ctx, self.name, fallback, started, explain)
        try:
            return self._solve(ctx, fallback, time_limit_s, previous, started, explain)
        except Exception as error:  # noqa: BLE001 — a decision must come back whatever happens
            return _finish(ctx, self.name, fallback, started, explain, fallback=True,
                           fallback_reason=f"solver error: {error!r}")

    def _solve(self, ctx, fallback, time_limit_s, previous, started, explain) -> Plan:
        candidates = [("closest", fallback), ("greedy", greedy_choices(ctx)),
                      ("previous", _previous_choices(ctx, previous))]
        scored = [(score(ctx, fly_choices(ctx, c)[0]), name, c) for name, c in candidates]
        hint_score, hint_name, hint = max(scored, key=lambda s: s[0])
        classes = build_classes(ctx)
        assets = [a for a in build_options(ctx, classes) if a.options]
        waves = self.waves or _waves(ctx, classes)
        remaining = time_limit_s - (time.perf_counter() - started) - _RESERVE_S
        if remaining <= 0.02 or not assets:
            return _finish(ctx, self.name, fallback, started, explain, fallback=True,
                           fallback_reason="no time left for the solver")
        solved = solve(ctx, classes, assets, waves, remaining, hint)
        if not solved.choices:  # the best of the fast plans stands in for the solver's
            return _finish(ctx, self.name, hint, started, explain, fallback=True,
                           fallback_reason=f"solver {solved.status.lower()} within {remaining:.2f} s; "
                                           f"{hint_name} plan")
        if score(ctx, fly_choices(ctx, solved.choices)[0]) >= hint_score:
            return _finish(ctx, self.name, solved.choices, started, explain, objective_bound=solved.bound)
        return _finish(ctx, self.name, hint, started, explain, objective_bound=solved.bound,
                       fallback=hint_name == "closest",
                       fallback_reason="closest plan scored higher" if hint_name == "closest" else None)


def _waves(ctx: PlanningContext, classes) -> int:
    """Two waves normally, three in a mass-casualty surge (DESIGN §2 notes) unless the model
    would be too large to solve inside a decision's time."""
    urgent = sum(c.count for c in classes if c.patients[0].precedence in "AB")
    return 3 if len(ctx.assets) < urgent and len(classes) <= LARGE_MODEL_CLASSES else 2


class Hindsight(Optimized):
    """For evaluation: the simulator shows it future calls too; more waves, same model."""

    name = "hindsight"

    def __init__(self):
        super().__init__(waves=3)


POLICIES = {"closest": Closest, "optimized": Optimized, "hindsight": Hindsight}


def get_policy(name: str) -> Policy:
    try:
        return POLICIES[name]()
    except KeyError:
        raise ValueError(f"unknown policy {name!r}; choose from {', '.join(POLICIES)}") from None
