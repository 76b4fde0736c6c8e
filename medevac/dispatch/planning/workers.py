"""Where the engine runs: worker processes, so no solve can stall the event loop.

A thread is not enough. The engine holds the GIL through long C++ calls (building a CP-SAT
objective over thousands of terms) and through garbage collection of its many objects; from a
solver thread that stalled this replica's loop (every request, stream and socket) by 0.2-0.4 s
per re-plan at 120-300 casualties. A process holds nothing the loop needs, and a solve that
overruns is killed and its worker replaced (pebble), where a thread would run on, holding its
slot. A native crash in the solver costs a worker, not the replica. The `closest` fallback runs
in a process of its own, so it is there whatever the solver workers are doing. Not on a thread:
on a mass-casualty board (hundreds of open requests) it is seconds of CPU, and in the load bench
the replica whose thread ran it served requests 2 s late meanwhile, the other replica did not.

Both are `medevac.cpu` pools, run niced: when cores are short, the kernel serves the event loops
(9-line intake, the boards, the live streams) first and planning takes what is left, within its
time limits.
"""

import asyncio

from medevac.cpu import CpuPool
from medevac.dispatch.engine.model import Plan, Snapshot
from medevac.dispatch.engine.policies import get_policy

ENGINE = "medevac.dispatch.engine.policies"


def plan_with(policy: str, snap: Snapshot, time_limit_s: float, previous: Plan | None) -> Plan:
    """In the worker: one plan (snapshot and plan cross the process boundary pickled)."""
    return get_policy(policy).plan(snap, time_limit_s=time_limit_s, previous=previous)


class SolverWorkers:
    def __init__(self, workers: int = 2, start_method: str = "forkserver", niceness: int = 10) -> None:
        self._pool = CpuPool(workers, start_method=start_method, niceness=niceness, preload=[ENGINE])
        self._fallback = CpuPool(1, start_method=start_method, niceness=niceness, preload=[ENGINE])

    async def start(self) -> None:
        """Start the workers now, so the first re-plan does not spend its time limit on that."""
        await asyncio.gather(self._pool.start(), self._fallback.start())

    async def solve(self, policy: str, snap: Snapshot, time_limit_s: float, previous: Plan | None) -> Plan:
        return await self._pool.run(plan_with, policy, snap, time_limit_s, previous)

    async def fallback(self, snap: Snapshot) -> Plan:
        return await self._fallback.run(plan_with, "closest", snap, 0.0, None)

    def shutdown(self) -> None:
        for pool in (self._pool, self._fallback):
            pool.shutdown()  # running solves are abandoned at shutdown: their workers are killed
