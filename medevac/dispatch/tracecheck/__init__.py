"""An independent trace checker: replays a simulator trace against the scenario's physics.

It shares no code with the dispatch engine: distances come from geographiclib, darkness from
astral, the scenario from its JSON by the field names of DESIGN.md §4. `check` returns every
broken rule and the result metrics recomputed from the trace alone.

    python -m medevac.dispatch.tracecheck SCENARIO.json TRACE.jsonl [--json]
"""

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel

from medevac.dispatch.tracecheck.custody import check_casualties
from medevac.dispatch.tracecheck.landings import check_landings
from medevac.dispatch.tracecheck.metrics import CareFigures, recompute
from medevac.dispatch.tracecheck.physics import check_assets
from medevac.dispatch.tracecheck.records import ScenarioError, Violation, read_theatre, read_trace

__all__ = ["CheckReport", "ScenarioError", "Violation", "add_arguments", "check", "main", "run"]


class CheckReport(BaseModel):
    legs: int
    handovers: int
    dispatches: int
    violations: list[Violation]
    metrics: CareFigures

    @property
    def ok(self) -> bool:
        return not self.violations


def check(scenario_path: str | Path, trace_path: str | Path) -> CheckReport:
    """Check a trace against its scenario and recompute the result metrics."""
    theatre = read_theatre(scenario_path)
    trace = read_trace(trace_path)
    violations = [*trace.malformed, *check_assets(trace.legs, theatre),
                  *check_casualties(trace, theatre), *check_landings(trace.legs, theatre)]
    violations.sort(key=lambda v: (v.line or 0, v.kind, v.subject))
    return CheckReport(legs=len(trace.legs), handovers=len(trace.handovers),
                       dispatches=trace.dispatches, violations=violations,
                       metrics=recompute(trace, theatre))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario file (DESIGN.md §4)")
    parser.add_argument("trace", help="trace written by `medevac simulate --trace`")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")


def run(args: argparse.Namespace) -> int:
    """Print the report; exit status 1 when any rule is broken, 2 when the scenario is unreadable."""
    try:
        report = check(args.scenario, args.trace)
    except ScenarioError as error:
        print(error, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.model_dump(mode="json"), indent=2))
    else:
        for violation in report.violations:
            print(f"line {violation.line}: {violation.kind} {violation.subject}: {violation.message}")
        print(f"{report.legs} legs, {report.handovers} handovers, "
              f"{len(report.violations)} violations; golden hour "
              f"{report.metrics.golden_hour.count}/{report.metrics.golden_hour.of}, surgery 2 h "
              f"{report.metrics.surgery_2h.count}/{report.metrics.surgery_2h.of}")
    return 1 if report.violations else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medevac.dispatch.tracecheck",
                                     description="Check a simulator trace against its scenario.")
    add_arguments(parser)
    return run(parser.parse_args(argv))
