"""Replay a scenario under a policy: `simulate(scenario, policy, seed)` → result and trace."""

from medevac.dispatch.engine.bounds import best_handovers
from medevac.dispatch.scenario import Casualty, Scenario
from medevac.dispatch.simulator.casualties import casualties as scenario_casualties
from medevac.dispatch.simulator.results import Metrics, SimulationResult, latency, metrics, metrics_from_trace
from medevac.dispatch.simulator.run import simulate_run

__all__ = ["Metrics", "SimulationResult", "contention_free", "metrics_from_trace", "scenario_casualties", "simulate"]

DEFAULT_TIME_LIMIT_S = {"closest": 1.0, "optimized": 1.0, "hindsight": 3.0}


def contention_free(scenario: Scenario, casualties: list[Casualty]) -> Metrics:
    """The bound's metrics: each casualty served alone by the best asset from its incident's first call."""
    handovers = best_handovers(casualties, scenario.assets, scenario.facilities,
                               scenario.road_factor, scenario.load_min, scenario.unload_min)
    return metrics(casualties, handovers, {f.id: f for f in scenario.facilities})


def simulate(scenario: Scenario, policy: str, seed: int = 0, *, time_limit_s: float | None = None,
             bound: Metrics | None = None) -> tuple[SimulationResult, list[dict]]:
    found = scenario_casualties(scenario, seed)
    limit = DEFAULT_TIME_LIMIT_S.get(policy, 1.0) if time_limit_s is None else time_limit_s
    run = simulate_run(scenario, policy, found, limit)
    facilities = {f.id: f for f in scenario.facilities}
    result = SimulationResult(
        scenario=scenario.name, policy=policy, seed=seed,
        **metrics(found, run.handovers, facilities).model_dump(),
        solver=latency(run.latencies_ms, run.fallbacks),
        contention_free_bound=bound or contention_free(scenario, found),
    )
    return result, run.records
