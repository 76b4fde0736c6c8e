"""Replay a scenario under a policy: `simulate(scenario, policy, seed)` → result and trace."""

from medevac.dispatch.engine.bounds import best_handovers
from medevac.dispatch.engine.model import FacilityState, Patient
from medevac.dispatch.engine.reach import explain
from medevac.dispatch.scenario import Casualty, Scenario
from medevac.dispatch.simulator.casualties import casualties as scenario_casualties
from medevac.dispatch.simulator.results import (
    CareFigures, Handovers, SimulationResult, Unreachable, care_minutes, expected_survivors, latency, metrics,
    metrics_from_trace, urgent_time_to_care,
)
from medevac.dispatch.simulator.run import simulate_run

__all__ = ["CareFigures", "SimulationResult", "contention_free", "metrics_from_trace", "scenario_casualties", "simulate"]

DEFAULT_TIME_LIMIT_S = {"closest": 1.0, "optimized": 1.0, "hindsight": 3.0}


def contention_free(scenario: Scenario, casualties: list[Casualty]) -> CareFigures:
    """The bound's metrics: each casualty served alone by the best asset from its incident's first call."""
    handovers = best_handovers(casualties, scenario.assets, scenario.facilities,
                               scenario.road_factor, scenario.load_min, scenario.unload_min)
    return metrics(casualties, handovers, {f.id: f for f in scenario.facilities})


def unreachable(scenario: Scenario, casualties: list[Casualty], best: Handovers) -> list[Unreachable]:
    """Casualties the contention-free bound cannot serve, with the reason and the nearest way."""
    out = []
    facilities = [FacilityState(**f.model_dump()) for f in scenario.facilities]
    for c in casualties:
        if not best.get(c.id):
            reason, way = explain(Patient(**c.model_dump(), request_id=c.id), scenario.assets, facilities)
            out.append(Unreachable(casualty=c.id, precedence=c.precedence, reason=reason, nearest_way=way))
    return out


def simulate(scenario: Scenario, policy: str, seed: int = 0, *, time_limit_s: float | None = None,
             bound: CareFigures | None = None, best: Handovers | None = None) -> tuple[SimulationResult, list[dict]]:
    """`best`: the bound's handovers (casualty → earliest at each facility), computed when not given."""
    found = scenario_casualties(scenario, seed)
    limit = DEFAULT_TIME_LIMIT_S.get(policy, 1.0) if time_limit_s is None else time_limit_s
    run = simulate_run(scenario, policy, found, limit)
    facilities = {f.id: f for f in scenario.facilities}
    if best is None:
        best = best_handovers(found, scenario.assets, scenario.facilities,
                              scenario.road_factor, scenario.load_min, scenario.unload_min)
    measured = metrics(found, run.handovers, facilities)
    survivors, of = expected_survivors(found, run.handovers, facilities)
    cannot = unreachable(scenario, found, best)
    unserved = sum(m.unserved for m in measured.precedence.values())
    result = SimulationResult(
        scenario=scenario.name, policy=policy, seed=seed, **measured.model_dump(),
        solver=latency(run.latencies_ms, run.fallbacks),
        contention_free_bound=bound or metrics(found, best, facilities),
        expected_survivors=survivors, expected_survivors_of=of,
        unserved_reachable=unserved - len(cannot), unserved_unreachable=len(cannot), unreachable=cannot,
        urgent_time_to_care_min=urgent_time_to_care(found, care_minutes(found, run.handovers, facilities)),
    )
    return result, run.records
