"""`python -m bench.load [--rates 50,100,…] [--step-s S] [--consoles N] [--replicas 2,1] [--slowloris N]`."""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.load import report
from bench.load.cluster import database_server
from bench.load.consoles import raise_open_files
from bench.load.run import run
from medevac.observability import configure_logging


def parse(argv: list[str]) -> argparse.Namespace:
    numbers = lambda text: [float(v) for v in text.split(",")]  # noqa: E731
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--rates", type=numbers, default=[50, 100, 200, 300, 400], help="offered req/s per step")
    parser.add_argument("--step-s", type=float, default=20, help="seconds per step")
    parser.add_argument("--consoles", type=int, default=500, help="live SSE consoles")
    parser.add_argument("--replicas", type=lambda t: [int(v) for v in t.split(",")], default=[2, 1],
                        help="configurations to run, in order (the first is judged)")
    parser.add_argument("--slowloris", type=int, default=0, metavar="N",
                        help="also hold N slow clients (trickled heads and bodies) through every step")
    return parser.parse_args(argv)


async def bench(args: argparse.Namespace, dsn: str, work: Path) -> None:
    results = []
    for replicas in args.replicas:
        print(f"running {replicas} replica(s): {args.consoles} consoles, {args.slowloris} slow clients, "
              f"steps {args.rates} req/s × {args.step_s:g} s", flush=True)
        results.append(await run(dsn, work, replicas=replicas, rates=args.rates, step_s=args.step_s,
                                 console_count=args.consoles, slow_count=args.slowloris))
    print()
    for result in results:
        print(report.summary_table(result), "\n", flush=True)
    for result in results:
        print(report.kinds_table(result), "\n")
    for result in results:
        if result.slow:
            print(f"Slow clients ({result.replicas} replica(s)), {args.slowloris} held throughout: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(result.slow.items())), "\n")
    print("Nothing lost:\n")
    print(report.ledger_table(results), "\n")
    if len(results) > 1:
        print(f"Scaling ({results[0].replicas} vs {results[1].replicas} replicas):\n")
        print(report.scaling_table(results[0], results[1]), "\n")
    print("Verdicts:")
    for line in report.verdicts(results[0], results[1] if len(results) > 1 else None):
        print(f"  {line}")


def main(argv: list[str]) -> int:
    args = parse(argv)
    configure_logging("console", "warning")  # the bench's own prints are the report
    raise_open_files()  # replicas inherit it: 500 streams plus the generator's sockets
    started = time.monotonic()
    print(f"bench.load on {os.cpu_count()} cores; the machine may be shared (see CPU 'machine' column)")
    with tempfile.TemporaryDirectory(prefix="medevac-load-") as work, database_server(Path(work)) as dsn:
        asyncio.run(bench(args, dsn, Path(work)))
    print(f"bench.load: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
