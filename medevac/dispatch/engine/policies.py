"""The policies behind one interface: `get_policy(name).plan(snapshot, time_limit_s=…) -> Plan`."""

import time
from typing import Protocol

from medevac.dispatch.engine.closest import closest_choices
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.cpsat import solve
from medevac.dispatch.engine.explain import Request, prepare, recommendations
from medevac.dispatch.engine.greedy import greedy_choices
from medevac.dispatch.engine.idle import fill_idle
from medevac.dispatch.engine.model import Plan, Snapshot
from medevac.dispatch.engine.routing import clustered_sites, routing_choices
from medevac.dispatch.engine.slots import build_classes, build_options
from medevac.dispatch.engine.sorties import Choice, fly_choices, score, to_sortie
from medevac.dispatch.engine.underway import ride_along

MIN_SOLVER_S = 0.05  # below this CP-SAT cannot even load a model: keep the fast plans
FINISH_S = 0.03  # reading, checking and timing the chosen plan, assembling explanations
SAFETY = 0.05  # of the limit, kept back for the solver's own overshoot and a busy machine
SMALL_MODEL_OPTIONS = 300  # a second wave pays only where the model solves in a fraction of a second
ROUTING_SHARE, ROUTING_MAX_S = 0.2, 0.1  # of the time left; convoy snapshots: 0.1 s kept all of 0.25 s gains


class Deadline:
    """One decision's time budget: each phase asks what is left, the solver gets the rest."""

    def __init__(self, limit_s: float):
        self.started = time.perf_counter()
        self.limit_s = limit_s

    def left(self) -> float:
        return self.limit_s - (time.perf_counter() - self.started)


class Policy(Protocol):
    name: str

    def plan(self, snapshot: Snapshot, *, time_limit_s: float = 1.0, previous: Plan | None = None,
             explain: bool = True) -> Plan: ...


def _finish(ctx: PlanningContext, policy: str, choices: dict[str, list[Choice]], started: float,
            explain: bool | dict[str, Request], **extra) -> Plan:
    flown, unassigned = fly_choices(ctx, choices)
    prepared = explain if isinstance(explain, dict) else None
    return Plan(
        policy=policy, now=ctx.now, sorties=[to_sortie(ctx, f) for f in flown],
        recommendations=recommendations(ctx, flown, unassigned, prepared) if explain is not False else [],
        unassigned=unassigned, score=round(score(ctx, flown), 1),
        solve_ms=round((time.perf_counter() - started) * 1000, 2), **extra,
    )


class _RidesAlong:
    """Patients who can ride along with an aircraft already tasked to their landing zone do so
    first (engine/underway.py); the policy plans the rest."""

    def plan(self, snapshot, *, time_limit_s=1.0, previous=None, explain=True) -> Plan:
        joins, rest = ride_along(snapshot)
        plan = self._plan(rest, time_limit_s=time_limit_s, previous=previous, explain=explain)
        plan.joins = joins
        return plan


class Closest(_RidesAlong):
    name = "closest"

    def _plan(self, snapshot, *, time_limit_s=1.0, previous=None, explain=True) -> Plan:
        started = time.perf_counter()
        ctx = PlanningContext(snapshot)
        return _finish(ctx, self.name, closest_choices(ctx), started, explain)


def _previous_choices(ctx: PlanningContext, previous: Plan | None) -> dict[str, list[Choice]]:
    """The previous plan's sorties that still refer to open patients: the warm start."""
    if previous is None:
        return {}
    chains: dict[str, list[Choice]] = {}
    for sortie in previous.sorties:
        ids = tuple(pid for pid in sortie.patient_ids if pid in ctx.site_of)
        sites = list(dict.fromkeys(ctx.site_of[pid].index for pid in _boarding_order(sortie) if pid in ctx.site_of))
        if ids and sortie.facility_id in ctx.facility_index:
            chains.setdefault(sortie.asset_id, []).append(
                Choice(sites[0], ctx.facility_index[sortie.facility_id], ids, tuple(sites[1:])))
    return {aid: chain for aid, chain in chains.items() if any(a.id == aid for a in ctx.assets)}


def _boarding_order(sortie) -> list[str]:
    later = [pid for stop in sortie.stops for pid in stop.patient_ids]
    return [pid for pid in sortie.patient_ids if pid not in later] + later


class Optimized(_RidesAlong):
    """CP-SAT sortie slots warm-started from the fast plans; the best plan by the exact score wins,
    and every phase respects one deadline so a decision always comes back in time."""

    name = "optimized"

    def __init__(self, waves: int | None = None, routing: bool = True):
        self.waves = waves
        self.routing = routing

    def _plan(self, snapshot, *, time_limit_s=1.0, previous=None, explain=True) -> Plan:
        deadline = Deadline(time_limit_s)
        ctx = PlanningContext(snapshot)
        fallback = closest_choices(ctx)
        if not ctx.sites:
            return _finish(ctx, self.name, fallback, deadline.started, explain)
        try:
            return self._solve(ctx, fallback, deadline, previous, explain)
        except Exception as error:  # noqa: BLE001 — a decision must come back whatever happens
            return _finish(ctx, self.name, fallback, deadline.started, explain, fallback=True,
                           fallback_reason=f"solver error: {error!r}")

    def _solve(self, ctx, fallback, deadline: Deadline, previous, explain) -> Plan:
        explain = prepare(ctx) if explain else False
        best = _Candidates(ctx)
        best.add("closest", fallback)
        greedy_s = time.perf_counter()
        if deadline.left() > FINISH_S:
            best.add("greedy", greedy_choices(ctx))
        greedy_s = time.perf_counter() - greedy_s
        best.add("previous", _previous_choices(ctx, previous))
        # Chaining later sorties after the solver's first wave costs about one greedy.
        reserve = FINISH_S + SAFETY * deadline.limit_s + greedy_s

        def time_left() -> float:
            return deadline.left() - reserve

        clustered = clustered_sites(ctx) if self.routing else []
        if clustered and time_left() >= 2 * MIN_SOLVER_S:
            routed = routing_choices(ctx, clustered, min(ROUTING_SHARE * time_left(), ROUTING_MAX_S))
            if routed and deadline.left() > FINISH_S:
                best.add("routing", greedy_choices(ctx, start=routed))
        if time_left() >= MIN_SOLVER_S:
            classes = build_classes(ctx)
            options = build_options(ctx, classes, best.hint, time_left)
            assets = [a for a in options or () if a.options]
            if options is not None and not assets:  # nothing can fly: every policy plans the same
                return best.finish(self.name, deadline, explain, solver_ran=False)
            if assets:
                waves = self.waves or _waves(ctx, classes, assets)
                solved = solve(ctx, classes, assets, waves, time_left, best.hint)
                if solved.choices:
                    chained = greedy_choices(ctx, start=solved.choices) if deadline.left() > FINISH_S else solved.choices
                    best.add("solver", chained, prefer=True)
                    return best.finish(self.name, deadline, explain, objective_bound=solved.bound)
                return best.finish(self.name, deadline, explain, fallback=True, fallback_reason=(
                    f"solver {solved.status.lower()} within {deadline.limit_s:.2f} s; {best.name} plan"))
        return best.finish(self.name, deadline, explain, fallback=True, fallback_reason=(
            f"no time left for the solver within {deadline.limit_s:.2f} s; {best.name} plan"))


class _Candidates:
    """The best plan so far by the exact score (ties go to the solver's, then the earlier one); it
    is also the solver's hint (sorties its slots cannot represent are left out of the hint)."""

    def __init__(self, ctx: PlanningContext):
        self.ctx = ctx
        self.name, self.choices, self.score = "", {}, float("-inf")
        self.hint, self._hint_score = {}, float("-inf")

    def add(self, name: str, choices: dict[str, list[Choice]], prefer: bool = False) -> None:
        if not choices:
            return
        value = score(self.ctx, fly_choices(self.ctx, choices)[0])
        if value > self.score or (prefer and value >= self.score):
            self.name, self.choices, self.score = name, choices, value
        if value > self._hint_score:
            self.hint, self._hint_score = choices, value

    def finish(self, policy: str, deadline: Deadline, explain, solver_ran: bool = True, **extra) -> Plan:
        if solver_ran and self.name == "closest" and "fallback" not in extra:
            extra.update(fallback=True, fallback_reason="closest plan scored higher")
        # Idle aircraft sent where they score better (engine/idle.py), in half the safety margin at most.
        choices = fill_idle(self.ctx, self.choices, lambda: deadline.left() - FINISH_S - SAFETY * deadline.limit_s / 2)
        return _finish(self.ctx, policy, choices, deadline.started, explain, candidate=self.name, **extra)


def _waves(ctx: PlanningContext, classes, assets) -> int:
    """Two waves where the model is small; one exact wave otherwise, later sorties chained
    greedily after it (measured at 60 patients / 30 assets: one wave optimal in about 0.5 s,
    two waves not better within 2 s)."""
    return 2 if sum(len(a.options) for a in assets) <= SMALL_MODEL_OPTIONS else 1


class Hindsight(Optimized):
    """For evaluation: the same model, shown the calls still to come by the simulator."""

    name = "hindsight"


POLICIES = {"closest": Closest, "optimized": Optimized, "hindsight": Hindsight}


def get_policy(name: str) -> Policy:
    try:
        return POLICIES[name]()
    except KeyError:
        raise ValueError(f"unknown policy {name!r}; choose from {', '.join(POLICIES)}") from None
