"""Basing jobs in the background: a bounded queue in front of a worker process pool.

The event loop never computes: a coordinating thread runs `plan_basing`, whose seeded simulations
go to the niced `medevac.cpu` pool (CP-SAT itself releases the GIL while it searches); closing the
runner kills the simulations still running. Progress is written to
the job row about once a second, so any replica can answer `GET`. A full queue is a 429; a runner
that is shutting down is a 503.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from functools import partial

import asyncpg
import structlog
from aiohttp import web

from medevac.cpu import CpuPool
from medevac.dispatch.scenario import Scenario
from medevac.errors import Problem
from medevac.keys import pool_key
from medevac.basing import store
from medevac.basing.history import DemandSource, History
from medevac.basing.plan import plan_basing
from medevac.basing.problem import BasingRequest, ProblemError
from medevac.basing.report import BasingResult

log = structlog.get_logger()
WORKERS = 2
CAPACITY = 4  # jobs queued or running per replica
PROGRESS_EVERY_S = 1.0
ROW_WAIT_S = 0.05  # the POST's transaction commits the row just after the job is handed over
ROW_WAIT_TRIES = 600  # ... or rolls back, and then the job is dropped after 30 s


class Runner:
    def __init__(self, db: asyncpg.Pool, workers: int = WORKERS, capacity: int = CAPACITY):
        self.db, self.capacity = db, capacity
        self.processes = CpuPool(workers, start_method="spawn")
        self.slots = asyncio.Semaphore(1)  # one plan at a time; its simulations fill the pool
        self.tasks: set[asyncio.Task] = set()
        self.closed = False

    def admit(self) -> None:
        if self.closed:
            raise Problem(503, "Service unavailable", "the planning runner is shutting down",
                          headers={"Retry-After": "30"})
        if len(self.tasks) >= self.capacity:
            raise Problem(429, "Too many requests", f"{self.capacity} basing jobs already queued or running",
                          headers={"Retry-After": "60"})

    def submit(self, job_id: uuid.UUID, scenario: Scenario, request: BasingRequest,
               demand: DemandSource = "scenario", history: History | None = None) -> None:
        self.admit()
        task = asyncio.create_task(self._run(job_id, partial(
            plan_basing, scenario, request, history, demand=demand,
            mapper=lambda f, jobs: self.processes.map(f, jobs, chunksize=2))))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    @staticmethod
    def _plan(plan: Callable[..., BasingResult], state: dict) -> dict:
        result = plan(progress=lambda stage, fraction: state.update(stage=stage, fraction=fraction))
        return result.model_dump(mode="json")

    async def _run(self, job_id: uuid.UUID, plan: Callable[..., BasingResult]) -> None:
        if not await self._committed(job_id):
            log.warning("planning.basing_dropped", job=str(job_id))
            return
        async with self.slots:
            state = {"stage": "running", "fraction": 0.0}
            work = asyncio.get_running_loop().run_in_executor(None, self._plan, plan, state)
            while not work.done():
                async with self.db.acquire() as conn:
                    await store.progress(conn, job_id, "running", state["stage"], state["fraction"])
                await asyncio.wait({work}, timeout=PROGRESS_EVERY_S)
            result, error = None, None
            try:
                result = work.result()
            except (ProblemError, ValueError) as failure:
                error = str(failure)
            except Exception as failure:  # a broken worker pool must not leave the job "running"
                log.exception("planning.basing_crashed", job=str(job_id))
                error = f"internal error: {type(failure).__name__}"
            async with self.db.acquire() as conn:
                await store.finish(conn, job_id, result, error)
            log.info("planning.basing_finished", job=str(job_id), failed=bool(error))

    async def _committed(self, job_id: uuid.UUID) -> bool:
        async with self.db.acquire() as conn:
            for _ in range(ROW_WAIT_TRIES):
                if await store.exists(conn, job_id):
                    return True
                await asyncio.sleep(ROW_WAIT_S)
        return False

    async def close(self) -> None:
        self.closed = True
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.to_thread(self.processes.shutdown)


runner_key: web.AppKey[Runner] = web.AppKey("basing_runner", Runner)


async def runner_ctx(app: web.Application) -> AsyncIterator[None]:
    runner = Runner(app[pool_key])
    async with app[pool_key].acquire() as conn:
        await store.fail_interrupted(conn)
    app[runner_key] = runner
    yield
    await runner.close()
