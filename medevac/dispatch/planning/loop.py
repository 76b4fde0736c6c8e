"""The planner loop: every relevant event re-plans its mission, debounced and paced; a tick catches deadlines.

Pacing: a mission's solver rests `pace` times its last solve before the next, so a stream of
events (a mass-casualty hour, hundreds of trackers) cannot take the machine from the requests;
a position fix alone (same status as last seen) is routine and waits until the plan is
`routine_s` old. Both defer a trigger, never drop it.

It follows this replica's event hub (which reads the shared outbox), so an event committed by
any replica reaches every planner; the advisory lock and `based_on_seq` in `replan` make sure
only one of them does the work.
"""

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import structlog
from aiohttp import web
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from medevac.dispatch.metrics import dispatch_metrics_key
from medevac.dispatch.planning.replan import Deferred, replan
from medevac.dispatch.planning.workers import SolverWorkers
from medevac.keys import pool_key
from medevac.hub import hub_key
from medevac.hub import Event, batches

log = structlog.get_logger(__name__)

# Events that can change a plan (a plan's own announcement and pre-alerts cannot).
RELEVANT = ("evac_request.", "asset.", "facility.created", "facility.updated", "evacuation.", "mission.updated")


class PlannerSettings(BaseSettings):
    """`MEDEVAC_PLANNER_*`: how the service re-plans."""

    model_config = SettingsConfigDict(env_prefix="MEDEVAC_PLANNER_", extra="ignore")

    enabled: bool = True
    policy: str = Field("optimized", pattern="^(optimized|closest)$")
    time_limit_s: float = Field(2.0, gt=0, le=60, description="solver budget per re-plan")
    debounce_s: float = Field(0.25, ge=0, le=30, description="quiet time gathering a burst of events")
    pace: float = Field(2.0, ge=0, le=20, description="rest this many times the last solve before the next")
    routine_s: float = Field(15.0, ge=0, le=600, description="a position fix alone re-plans once the plan is this old")
    tick_s: float = Field(60.0, gt=0, description="re-plan open missions this often (deadlines approach)")
    solver_nice: int = Field(10, ge=0, le=19, description="niceness of the solver worker processes")
    start_method: str = Field("forkserver", pattern="^(forkserver|spawn|fork)$",
                              description="how solver worker processes start (`fork` lets tests patch the engine)")


planner_settings_key: web.AppKey[PlannerSettings] = web.AppKey("planner_settings", PlannerSettings)


def relevant(event: Event) -> bool:
    return event.mission_id is not None and event.type.startswith(RELEVANT)


@dataclass
class Pending:
    """What a mission's next re-plan must cover."""

    seq: int | None  # the newest event; None: only a deadline tick asked
    routine: bool  # every trigger so far can wait for `routine_s`

    def merge(self, seq: int | None, routine: bool) -> None:
        if seq is not None:
            self.seq = seq if self.seq is None else max(self.seq, seq)
        self.routine = self.routine and routine


class Planner:
    def __init__(self, app: web.Application, settings: PlannerSettings, workers: SolverWorkers) -> None:
        self.app = app
        self.settings = settings
        self.workers = workers
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(app):x}"
        self._pending: dict[uuid.UUID, Pending] = {}
        self._workers: dict[uuid.UUID, asyncio.Task] = {}
        self._asset_status: dict[str, str] = {}
        self._routine_rest: dict[uuid.UUID, asyncio.Event] = {}  # set by a prompt trigger: stop resting

    def request(self, mission_id: uuid.UUID, seq: int | None, routine: bool = False) -> None:
        """Ask for a re-plan covering event `seq` (None: a deadline tick, routine)."""
        if mission_id in self._pending:
            self._pending[mission_id].merge(seq, routine or seq is None)
        else:
            self._pending[mission_id] = Pending(seq, routine or seq is None)
        if not self._pending[mission_id].routine and mission_id in self._routine_rest:
            self._routine_rest[mission_id].set()
        worker = self._workers.get(mission_id)
        if worker is None or worker.done():
            self._workers[mission_id] = asyncio.create_task(self._work(mission_id))

    async def _rest(self, mission_id: uuid.UUID, wait_s: float, routine: bool) -> None:
        if not routine:
            await asyncio.sleep(wait_s)
            return
        woken = self._routine_rest[mission_id] = asyncio.Event()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), wait_s)
        finally:
            del self._routine_rest[mission_id]

    async def _work(self, mission_id: uuid.UUID) -> None:
        wait_s, routine = self.settings.debounce_s, False
        while mission_id in self._pending:
            await self._rest(mission_id, wait_s, routine)
            wait_s, routine = self.settings.debounce_s, False
            pending = self._pending.pop(mission_id)
            try:
                async with self.app[pool_key].acquire() as conn:
                    done = await replan(
                        conn, self.workers, mission_id, trigger_seq=pending.seq,
                        trigger="event" if pending.seq is not None else "tick", policy=self.settings.policy,
                        time_limit_s=self.settings.time_limit_s, planned_by=self.name,
                        metrics=self.app[dispatch_metrics_key], min_age_s=self.settings.tick_s / 2,
                        settle_s=self.settings.routine_s if pending.routine else 0.0, pace=self.settings.pace)
                if isinstance(done, Deferred):
                    self.request(mission_id, pending.seq, pending.routine)
                    wait_s, routine = max(wait_s, done.wait_s), self._pending[mission_id].routine
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 — keep planning; retry this trigger after a pause
                log.exception("planner.failed", mission=str(mission_id))
                self.request(mission_id, pending.seq, pending.routine)
                wait_s = 1.0

    async def follow(self) -> None:
        # Dropped by the hub (too far behind): re-plan everything open.
        async for batch in batches(self.app[hub_key], None, on_drop=self.tick):
            for event in batch:
                if relevant(event):
                    self.request(uuid.UUID(event.mission_id), event.seq, self.routine(event))

    def routine(self, event: Event) -> bool:
        """A position fix alone: an asset update whose status is the one last seen."""
        if event.type != "asset.updated" or not isinstance(event.payload, dict):
            return False
        status = event.payload.get("status")
        last, self._asset_status[event.entity_id] = self._asset_status.get(event.entity_id), status
        return last is not None and last == status

    async def tick(self) -> None:
        async with self.app[pool_key].acquire() as conn:
            missions = await conn.fetch("SELECT DISTINCT mission_id FROM evac_requests WHERE status = 'open'")
        for row in missions:
            self.request(row["mission_id"], None)

    async def ticking(self) -> None:
        while True:
            await asyncio.sleep(self.settings.tick_s)
            with contextlib.suppress(Exception):
                await self.tick()

    async def stop(self) -> None:
        for task in self._workers.values():
            task.cancel()
        for task in self._workers.values():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


planner_key: web.AppKey[Planner] = web.AppKey("planner", Planner)


async def planner_ctx(app: web.Application) -> AsyncIterator[None]:
    """Start the planner after the hub; on shutdown cancel it and stop the solver workers."""
    settings = app.get(planner_settings_key) or PlannerSettings()
    workers = SolverWorkers(start_method=settings.start_method, niceness=settings.solver_nice)
    planner = Planner(app, settings, workers)
    app[planner_key] = planner
    tasks = []
    if settings.enabled:
        tasks = [asyncio.create_task(planner.follow()), asyncio.create_task(planner.ticking())]
        await workers.start()
        await planner.tick()  # a restarted replica re-plans what was open when it went down
    yield
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await planner.stop()
    await asyncio.to_thread(workers.shutdown)
