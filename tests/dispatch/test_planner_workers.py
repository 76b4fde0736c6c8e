"""Solver and fallback workers run niced, so the replicas' event loops come first on a busy machine."""

import os
from pathlib import Path

from medevac.dispatch.planning.workers import SolverWorkers


def children() -> set[int]:
    mine = str(os.getpid())
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == mine:
                found.add(int(stat.parent.name))
        except (OSError, IndexError):
            continue
    return found


async def test_every_planning_worker_runs_at_the_given_niceness():
    before = children()
    workers = SolverWorkers(start_method="fork", niceness=7)
    try:
        await workers.start()
        started = children() - before
        assert len(started) == 3  # two solver workers and the fallback's
        base = os.getpriority(os.PRIO_PROCESS, 0)
        assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in started} == {min(base + 7, 19)}
    finally:
        workers.shutdown()
