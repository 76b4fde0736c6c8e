"""Where the engine runs: worker processes, so no solve can stall the event loop.

A thread is not enough. The engine holds the GIL through long C++ calls (building a CP-SAT
objective over thousands of terms) and through garbage collection of its many objects; from a
solver thread that stalled this replica's loop (every request, stream and socket) by 0.2-0.4 s
per re-plan at 120-300 casualties. A process holds nothing the loop needs, and a solve that
overruns is killed and its worker replaced (pebble), where a thread would run on, holding its
slot. A native crash in the solver costs a worker, not the replica. The `closest` fallback is
fast and runs on a thread of its own, so it is there whatever the workers are doing.
"""

import asyncio
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pebble

from medevac.dispatch.engine.model import Plan, Snapshot
from medevac.dispatch.engine.policies import get_policy

ENGINE = "medevac.dispatch.engine.policies"


def plan_with(policy: str, snap: Snapshot, time_limit_s: float, previous: Plan | None) -> Plan:
    """In the worker: one plan (snapshot and plan cross the process boundary pickled)."""
    return get_policy(policy).plan(snap, time_limit_s=time_limit_s, previous=previous)


def ready() -> bool:
    return True


class SolverWorkers:
    def __init__(self, workers: int = 2, start_method: str = "forkserver") -> None:
        context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            context.set_forkserver_preload([ENGINE])  # each new worker starts with the engine imported
        self._pool = pebble.ProcessPool(max_workers=workers, context=context)  # started on first use
        self._fallback = ThreadPoolExecutor(1, thread_name_prefix="planner-fallback")

    async def start(self) -> None:
        """Start the workers now, so the first re-plan does not spend its time limit on that."""
        await asyncio.wrap_future(self._pool.schedule(ready))

    async def solve(self, policy: str, snap: Snapshot, time_limit_s: float, previous: Plan | None) -> Plan:
        future = self._pool.schedule(plan_with, args=(policy, snap, time_limit_s, previous))
        try:
            return await asyncio.wrap_future(future)
        finally:
            future.cancel()  # abandoned (timeout, shutdown): pebble kills the worker running it

    async def fallback(self, snap: Snapshot) -> Plan:
        return await asyncio.get_running_loop().run_in_executor(
            self._fallback, lambda: get_policy("closest").plan(snap))

    def shutdown(self) -> None:
        self._pool.stop()  # running solves are abandoned at shutdown: their workers are killed
        self._pool.join(timeout=5)
        self._fallback.shutdown(wait=True, cancel_futures=True)
