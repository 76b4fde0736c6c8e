"""One basing plan end to end: demand → problem → CP-SAT → coverage per point → simulated evidence.

Pure: everything comes in as arguments (the mission's history as read by the shell, the executor's
`map`), so the CLI, the service's worker process and a distributed sweep all call the same function.
"""

from collections.abc import Callable

from medevac.dispatch.scenario import Scenario
from medevac.basing import report
from medevac.basing.coverage import reach_table, score
from medevac.basing.demand import cluster, scenario_incidents
from medevac.basing.evidence import POLICY, Job, Mapper, outcome
from medevac.basing.history import DemandSource, History, compose
from medevac.basing.optimizer import optimise
from medevac.basing.problem import BasingRequest, apply, build_problem

Progress = Callable[[str, float], None]


def _quiet(stage: str, fraction: float) -> None:
    return None


def plan_basing(scenario: Scenario, request: BasingRequest, history: History | None = None,
                mapper: Mapper = map, progress: Progress = _quiet,
                demand: DemandSource = "scenario") -> report.BasingResult:
    """Propose a laydown for the demand (scenario, mission history or both) and the evidence behind it."""
    scenario, beside = compose(scenario, demand, history)
    # Beside a scenario the history counts at its rate over the scenario's period.
    scale = scenario.duration_hours / beside.hours if beside else 0.0
    demand_points = cluster(scenario_incidents(scenario) + (beside.incidents(scale) if beside else []))
    problem = build_problem(scenario, demand_points, request)
    table = reach_table(problem)
    progress("optimising", 0.05)
    solution = optimise(problem, table, time_limit_s=request.time_limit_s)
    current, proposed = score(problem, table, problem.current), score(problem, table, solution.laydown)
    points = report.points(problem, current, proposed)
    result = report.BasingResult(
        scenario=scenario.name, demand=report.demand_summary(demand, history, scale, demand_points),
        current=problem.current, proposed=solution.laydown,
        moves=report.moves(problem, solution.laydown), points=points,
        optimiser=report.Optimiser(solve_s=round(solution.solve_s, 3), optimal=solution.optimal,
                                   objective=solution.objective,
                                   model_share_current=report.model_share(problem, current),
                                   model_share_proposed=report.model_share(problem, proposed)),
    )
    if request.runs == 0:
        return result
    progress("simulating", 0.1)
    seeds = range(request.runs)
    laydowns = (apply(scenario, problem, problem.current), apply(scenario, problem, solution.laydown))
    jobs = [Job(s, seed, beside) for s in laydowns for seed in seeds]
    outcomes = []
    for n, found in enumerate(mapper(outcome, jobs)):
        outcomes.append(found)
        progress("simulating", 0.1 + 0.9 * (n + 1) / len(jobs))
    before, after = outcomes[: request.runs], outcomes[request.runs:]
    return result.model_copy(update={
        "evidence": report.compare(before, after, POLICY),
        "points": report.missed_by_point(points, demand_points, after),
    })
