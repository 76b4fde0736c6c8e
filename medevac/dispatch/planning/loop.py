"""The planner loop: every relevant event re-plans its mission, debounced; a tick catches deadlines.

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

import structlog
from aiohttp import web
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from medevac.dispatch.metrics import dispatch_metrics_key
from medevac.dispatch.planning.replan import replan
from medevac.dispatch.planning.workers import SolverWorkers
from medevac.keys import hub_key, pool_key
from medevac.live import Event

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
    tick_s: float = Field(60.0, gt=0, description="re-plan open missions this often (deadlines approach)")
    gauges_s: float = Field(5.0, gt=0, description="refresh the queue and fleet gauges this often")
    start_method: str = Field("forkserver", pattern="^(forkserver|spawn|fork)$",
                              description="how solver worker processes start (`fork` lets tests patch the engine)")


planner_settings_key: web.AppKey[PlannerSettings] = web.AppKey("planner_settings", PlannerSettings)


def relevant(event: Event) -> bool:
    return event.mission_id is not None and event.type.startswith(RELEVANT)


class Planner:
    def __init__(self, app: web.Application, settings: PlannerSettings, workers: SolverWorkers) -> None:
        self.app = app
        self.settings = settings
        self.workers = workers
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(app):x}"
        self._pending: dict[uuid.UUID, int | None] = {}
        self._workers: dict[uuid.UUID, asyncio.Task] = {}

    def request(self, mission_id: uuid.UUID, seq: int | None) -> None:
        """Ask for a re-plan covering event `seq` (None: a deadline tick)."""
        if mission_id in self._pending:
            known = self._pending[mission_id]
            self._pending[mission_id] = None if known is None or seq is None else max(known, seq)
        else:
            self._pending[mission_id] = seq
        worker = self._workers.get(mission_id)
        if worker is None or worker.done():
            self._workers[mission_id] = asyncio.create_task(self._work(mission_id))

    async def _work(self, mission_id: uuid.UUID) -> None:
        while mission_id in self._pending:
            await asyncio.sleep(self.settings.debounce_s)
            seq = self._pending.pop(mission_id)
            try:
                async with self.app[pool_key].acquire() as conn:
                    await replan(conn, self.workers, mission_id, trigger_seq=seq,
                                 trigger="event" if seq is not None else "tick", policy=self.settings.policy,
                                 time_limit_s=self.settings.time_limit_s, planned_by=self.name,
                                 metrics=self.app[dispatch_metrics_key], min_age_s=self.settings.tick_s / 2)
                await self.refresh_gauges()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 — keep planning; retry this trigger after a pause
                log.exception("planner.failed", mission=str(mission_id))
                self._pending.setdefault(mission_id, seq)
                await asyncio.sleep(1.0)

    async def follow(self) -> None:
        hub = self.app[hub_key]
        sub = hub.subscribe(None)
        try:
            while True:
                event = await sub.queue.get()
                if event is None:  # dropped by the hub: re-plan everything open and resubscribe
                    hub.unsubscribe(sub)
                    sub = hub.subscribe(None)
                    await self.tick()
                    continue
                if relevant(event):
                    self.request(uuid.UUID(event.mission_id), event.seq)
        finally:
            hub.unsubscribe(sub)

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

    async def refresh_gauges(self) -> None:
        async with self.app[pool_key].acquire() as conn:
            await self.app[dispatch_metrics_key].refresh(conn)

    async def gauging(self) -> None:
        while True:
            with contextlib.suppress(Exception):
                await self.refresh_gauges()
            await asyncio.sleep(self.settings.gauges_s)

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
    workers = SolverWorkers(start_method=settings.start_method)
    planner = Planner(app, settings, workers)
    app[planner_key] = planner
    tasks = [asyncio.create_task(planner.gauging())]
    if settings.enabled:
        tasks += [asyncio.create_task(planner.follow()), asyncio.create_task(planner.ticking())]
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
