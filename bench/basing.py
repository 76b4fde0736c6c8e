"""Basing planning: current vs proposed laydown for the shipped MINUSCA- and MINUSMA-like scenarios.

Golden-hour share, surgery <= 2 h share and mean time to care (urgent patients), mean [95 % interval]
over 20 seeded runs per laydown (paired), plus the optimiser's wall time on this machine.
Run: `python -m bench.basing` (also picked up by `make bench`).
"""

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from medevac.dispatch.scenario import load_scenario
from medevac.planning.plan import plan_basing
from medevac.planning.problem import BasingRequest, ForwardTeam

SCENARIOS = ("minusca.json", "minusma.json")
RUNS = 20
ROOT = Path(__file__).resolve().parent.parent / "scenarios"


def _cell(iv, pct: bool) -> str:
    if iv.mean is None:
        return "n/a"
    f = (lambda v: f"{100 * v:.1f}%") if pct else (lambda v: f"{v:.0f}")
    return f"{f(iv.mean)} [{f(iv.low)}, {f(iv.high)}]"


def main() -> None:
    print(f"## Basing planning ({RUNS} seeded runs per laydown, closest dispatch, 2 processes)\n")
    print("| scenario | laydown | golden hour | surgery <= 2 h | mean time to care (min) | optimiser |")
    print("|---|---|---|---|---|---|")
    with ProcessPoolExecutor(2) as pool:
        for name in SCENARIOS:
            scenario = load_scenario(str(ROOT / name))
            request = BasingRequest(runs=RUNS, teams=[ForwardTeam(id="fst-1", kind="fst")])
            started = time.perf_counter()
            result = plan_basing(scenario, request, mapper=lambda f, jobs: pool.map(f, jobs, chunksize=4))
            total = time.perf_counter() - started
            ev = result.evidence
            for label, side in (("current", ev.current), ("proposed", ev.proposed)):
                solver = f"{result.optimiser.solve_s:.2f} s" if label == "proposed" else ""
                print(f"| {scenario.name} | {label} | {_cell(side.golden_hour_share, True)} | "
                      f"{_cell(side.surgery_2h_share, True)} | {_cell(side.mean_time_to_care_min, False)} | {solver} |")
            moves = ", ".join(f"{m.item}->{m.to_base}" for m in result.moves) or "none"
            print(f"| {scenario.name} | moves | {moves} | | | total {total:.0f} s |")


if __name__ == "__main__":
    main()
