"""Basing planning: current vs proposed laydown for the shipped MINUSCA- and MINUSMA-like scenarios.

Golden-hour share, surgery <= 2 h share and mean time to care (urgent patients), mean [95 % interval]
over 20 seeded runs per laydown (paired: both laydowns see the same casualties), the paired gain,
urgent casualties per run beside the shares, the model's own golden-hour coverage of the demand,
and the optimiser's wall time on this machine (best of 3 solves).
Run: `python -m bench.basing` (also picked up by `make bench`).
"""

import time
from concurrent.futures import ProcessPoolExecutor

from medevac.dispatch.scenario import load_scenario, shipped_scenarios
from medevac.basing.coverage import reach_table
from medevac.basing.demand import scenario_demand
from medevac.basing.optimizer import optimise
from medevac.basing.plan import plan_basing
from medevac.basing.problem import BasingRequest, ForwardTeam, build_problem

SCENARIOS = ("minusca.json", "minusma.json")
RUNS = 20
SOLVES = 3


def _cell(iv, pct: bool) -> str:
    if iv.mean is None:
        return "n/a"
    f = (lambda v: f"{100 * v:.1f}%") if pct else (lambda v: f"{v:.0f}")
    return f"{f(iv.mean)} [{f(iv.low)}, {f(iv.high)}]" if iv.low is not None else f(iv.mean)


def _solve_s(scenario, request) -> float:
    """Best wall time of a few optimiser runs (model build included), the machine being shared."""
    problem = build_problem(scenario, scenario_demand(scenario), request)
    table = reach_table(problem)
    return min(optimise(problem, table, request.time_limit_s).solve_s for _ in range(SOLVES))


def main() -> None:
    print(f"## Basing planning ({RUNS} seeded runs per laydown, closest dispatch, 2 processes)\n")
    print("| scenario | laydown | urgent/run | golden hour | surgery <= 2 h | mean time to care (min) "
          "| model: golden-hour coverage | optimiser |")
    print("|---|---|---|---|---|---|---|---|")
    with ProcessPoolExecutor(2) as pool:
        for name in SCENARIOS:
            scenario = load_scenario(str(shipped_scenarios() / name))
            request = BasingRequest(runs=RUNS, teams=[ForwardTeam(id="fst-1", kind="fst")])
            started = time.perf_counter()
            result = plan_basing(scenario, request, mapper=lambda f, jobs: pool.map(f, jobs, chunksize=4))
            total = time.perf_counter() - started
            ev, opt = result.evidence, result.optimiser
            for label, side, share in (("current", ev.current, opt.model_share_current),
                                       ("proposed", ev.proposed, opt.model_share_proposed)):
                solver = (f"{_solve_s(scenario, request):.3f} s{' optimal' if opt.optimal else ''}"
                          if label == "proposed" else "")
                print(f"| {scenario.name} | {label} | {_cell(side.urgent_per_run, False)} | "
                      f"{_cell(side.golden_hour_share, True)} | {_cell(side.surgery_2h_share, True)} | "
                      f"{_cell(side.mean_time_to_care_min, False)} | {share:.1%} | {solver} |")
            print(f"| {scenario.name} | gain (paired) | | {_cell(ev.golden_hour_gain, True)} | "
                  f"{_cell(ev.surgery_2h_gain, True)} | {_cell(ev.time_to_care_gain_min, False)} faster | | |")
            moves = ", ".join(f"{m.item}->{m.to_base}" for m in result.moves) or "none"
            print(f"| {scenario.name} | moves | {moves} | | | | | plan + evidence {total:.0f} s |")


if __name__ == "__main__":
    main()
