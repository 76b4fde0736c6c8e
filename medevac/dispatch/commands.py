"""`medevac simulate`, `medevac plan` and `medevac schema`: the dispatch core's command line."""

import argparse
import json
import sys
from collections.abc import Callable

from pydantic import ValidationError

from medevac.dispatch.engine import POLICIES, Snapshot, get_policy
from medevac.dispatch.scenario import load_scenario, scenario_schema
from medevac.dispatch.simulator import simulate
from medevac.dispatch.simulator.trace import write

# Later issues add their documents here (name → JSON Schema factory).
SCHEMAS: dict[str, Callable[[], dict]] = {
    "scenario": scenario_schema,
    "snapshot": Snapshot.model_json_schema,
}


def register(subparsers: argparse._SubParsersAction) -> None:
    sim = subparsers.add_parser("simulate", help="replay a scenario under a dispatch policy")
    sim.add_argument("scenario", help="scenario file (JSON, DESIGN §4)")
    sim.add_argument("--policy", choices=sorted(POLICIES), default="optimized")
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--time-limit", type=float, default=None, help="seconds per decision")
    sim.add_argument("--json", action="store_true", help="print the result document as JSON")
    sim.add_argument("--trace", metavar="FILE", help="write the trace (JSON lines) here")
    sim.set_defaults(func=run_simulate)

    plan = subparsers.add_parser("plan", help="solve one snapshot and print the plan as JSON")
    plan.add_argument("snapshot", help="snapshot file (JSON; `medevac schema snapshot`)")
    plan.add_argument("--policy", choices=sorted(POLICIES), default="optimized")
    plan.add_argument("--time-limit", type=float, default=1.0)
    plan.set_defaults(func=run_plan)

    schema = subparsers.add_parser("schema", help="print the JSON Schema of a file format")
    schema.add_argument("name", choices=sorted(SCHEMAS))
    schema.set_defaults(func=run_schema)


def run_simulate(args: argparse.Namespace) -> int:
    try:
        scenario = load_scenario(args.scenario)
    except (OSError, ValidationError) as error:
        print(f"{args.scenario}: {error}", file=sys.stderr)
        return 2
    result, records = simulate(scenario, args.policy, args.seed, time_limit_s=args.time_limit)
    if args.trace:
        write(args.trace, records)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(_summary(result))
    return 0


def _summary(result) -> str:
    def pct(share) -> str:
        return "n/a" if share.share is None else f"{share.share:.0%} ({share.count}/{share.of})"

    lines = [f"{result.scenario} · {result.policy} · seed {result.seed}",
             f"golden hour {pct(result.golden_hour)} (bound {pct(result.contention_free_bound.golden_hour)})",
             f"surgery 2 h {pct(result.surgery_2h)} (bound {pct(result.contention_free_bound.surgery_2h)})"]
    for p, m in result.precedence.items():
        if m.count:
            lines.append(f"  {p}: {m.within_standard}/{m.count} within standard, mean {m.time_to_care_min.mean} min, "
                         f"p90 {m.time_to_care_min.p90} min, unserved {m.unserved}")
    s = result.solver
    lines.append(f"decisions {s.calls}: p50 {s.p50_ms} ms, p95 {s.p95_ms} ms, max {s.max_ms} ms, fallbacks {s.fallbacks}")
    return "\n".join(lines)


def run_plan(args: argparse.Namespace) -> int:
    try:
        with open(args.snapshot, encoding="utf-8") as handle:
            snapshot = Snapshot.model_validate_json(handle.read())
    except (OSError, ValidationError) as error:
        print(f"{args.snapshot}: {error}", file=sys.stderr)
        return 2
    plan = get_policy(args.policy).plan(snapshot, time_limit_s=args.time_limit)
    print(plan.model_dump_json(indent=2))
    return 0


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(SCHEMAS[args.name](), indent=2))
    return 0
