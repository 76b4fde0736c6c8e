"""`medevac plan-basing SCENARIO.json`: propose a laydown and print it with its simulated evidence.

With `--demand history|both` the mission's evacuation requests are read from the database
(`--database-url`, else `MEDEVAC_DATABASE_URL`, else the embedded server in `MEDEVAC_DATA_DIR`).
"""

import argparse
import asyncio
import sys
import uuid
from datetime import datetime

import asyncpg
from pydantic import ValidationError

from medevac.bounds import in_era
from medevac.config import Settings
from medevac.cpu import CpuPool
from medevac.db import embedded
from medevac.dispatch.scenario import load_scenario
from medevac.basing import store
from medevac.basing.history import History, check_window, no_history
from medevac.basing.plan import plan_basing
from medevac.basing.problem import BasingRequest, ForwardTeam, ProblemError
from medevac.basing.report import BasingResult


def _ids(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


def _team(text: str) -> ForwardTeam:
    """`fst:fst-1` or `amet:amet-1@kaga-l1` (kind:id[@facility where it sits now])."""
    kind, _, rest = text.partition(":")
    team_id, _, at = rest.partition("@")
    return ForwardTeam(id=team_id or kind, kind=kind, at=at or None)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give the offset (e.g. Z)")
    try:
        return in_era(moment)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("plan-basing", help="propose where aircraft and forward teams stand")
    cmd.add_argument("scenario", help="scenario file (JSON, DESIGN §4)")
    cmd.add_argument("--assets", type=_ids, default=None, help="comma-separated asset ids it may move")
    cmd.add_argument("--fixed", type=_ids, default=[], help="comma-separated asset ids that stay")
    cmd.add_argument("--team", action="append", default=[], help="forward team kind:id[@facility]")
    cmd.add_argument("--max-per-base", type=int, default=3)
    cmd.add_argument("--runs", type=int, default=20, help="seeded simulator runs per laydown")
    cmd.add_argument("--time-limit", type=float, default=10.0, help="optimiser seconds")
    cmd.add_argument("--workers", type=int, default=2, help="simulation processes")
    cmd.add_argument("--json", action="store_true", help="print the result document as JSON")
    cmd.add_argument("--demand", choices=("scenario", "history", "both"), default="scenario",
                     help="the scenario's casualties and hotspots, the mission's requests, or both")
    cmd.add_argument("--mission", type=uuid.UUID, help="mission whose requests are the history")
    cmd.add_argument("--since", type=_moment, help="history from this injury time (ISO 8601 with offset)")
    cmd.add_argument("--until", type=_moment, help="history before this injury time")
    cmd.add_argument("--database-url", help="PostgreSQL DSN (default: MEDEVAC_DATABASE_URL or embedded)")
    cmd.set_defaults(func=run_plan_basing)


async def _read_history(args: argparse.Namespace) -> History | None:
    settings = Settings()
    dsn = args.database_url or settings.dsn() or await embedded.start_async(settings.data_dir)
    conn = await asyncpg.connect(dsn)
    try:
        return await store.mission_history(conn, args.mission, args.since, args.until)
    finally:
        await conn.close()


def _history(args: argparse.Namespace) -> History | None:
    check_window(args.demand, args.since, args.until)
    if args.demand == "scenario":
        return None
    if args.mission is None:
        raise ProblemError("mission", f"--demand {args.demand} needs --mission")
    try:
        found = asyncio.run(_read_history(args))
    except (OSError, ValueError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise ProblemError("database-url", f"cannot read the mission's history: {error}") from None
    if found is None:
        raise no_history(args.since, args.until)
    return found


def run_plan_basing(args: argparse.Namespace) -> int:
    try:
        history = _history(args)
        scenario = load_scenario(args.scenario)
        request = BasingRequest(assets=args.assets, fixed=args.fixed, teams=[_team(t) for t in args.team],
                                max_assets_per_base=args.max_per_base, runs=args.runs,
                                time_limit_s=args.time_limit)
        pool = CpuPool(max(1, args.workers), start_method="fork", niceness=0)
        try:
            result = plan_basing(scenario, request, history, demand=args.demand,
                                 mapper=lambda f, jobs: pool.map(f, jobs, chunksize=4))
        finally:
            pool.shutdown()
    except (OSError, ValidationError) as error:
        print(f"{args.scenario}: {error}", file=sys.stderr)
        return 2
    except ProblemError as error:
        print(f"{error.field}: {error}", file=sys.stderr)
        return 2
    print(result.model_dump_json(indent=2) if args.json else summary(result))
    return 0


def _iv(iv, pct: bool) -> str:
    if iv.mean is None:
        return "n/a"
    fmt = (lambda v: f"{v:.1%}") if pct else (lambda v: f"{v:.0f} min")
    return fmt(iv.mean) if iv.low is None else f"{fmt(iv.mean)} [{fmt(iv.low)}, {fmt(iv.high)}]"


def summary(result: BasingResult) -> str:
    lines = [f"{result.scenario}: {len(result.moves)} move(s); optimiser {result.optimiser.solve_s:.2f} s"
             f"{' (optimal)' if result.optimiser.optimal else ''}"]
    lines += [f"  {m.kind} {m.item}: {m.from_base or '-'} -> {m.to_base}" for m in result.moves]
    demand, window = result.demand, result.demand.history
    lines.append(f"demand: {demand.source}, {demand.points} point(s), urgent {demand.urgent['day']:g} by day, "
                 f"{demand.urgent['night']:g} by night" + (
                     f"; history {window.requests} request(s), {window.casualties} casualties "
                     f"[{window.since:%Y-%m-%d %H:%M}, {window.until:%Y-%m-%d %H:%M}) each weighing {window.weight:g}"
                     if window else ""))
    ev = result.evidence
    if ev is not None:
        lines.append(f"evidence over {ev.runs} seeded runs ({ev.policy} dispatch), current -> proposed:")
        for label, key, pct in (("golden hour", "golden_hour_share", True), ("surgery <= 2 h", "surgery_2h_share", True),
                                ("mean time to care", "mean_time_to_care_min", False)):
            lines.append(f"  {label}: {_iv(getattr(ev.current, key), pct)} -> {_iv(getattr(ev.proposed, key), pct)}")
        lines.append(f"  gain: golden hour {_iv(ev.golden_hour_gain, True)}, surgery {_iv(ev.surgery_2h_gain, True)}, "
                     f"time to care {_iv(ev.time_to_care_gain_min, False)} faster")
        worst = sorted((p for p in result.points if p.missed_per_run), key=lambda p: -p.missed_per_run)[:5]
        lines += [f"  uncovered: {p.id} ({p.location.lat:.2f}, {p.location.lon:.2f}) "
                  f"{p.missed_per_run} urgent/run miss the golden hour" for p in worst]
    return "\n".join(lines)
