"""Mission-state gauges and compliance counters, read from PostgreSQL and served from a cache.

A scrape never touches the database: `collect()` serves the last snapshot and, when it is
older than `FRESH_S`, wakes the refresher, which queries at most once per `FRESH_S`. Every
replica computes the same figures from the shared database, so queries across replicas
aggregate them with `max`, never `sum`.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Iterable

import asyncpg
import structlog
from aiohttp import web
from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from medevac.keys import pool_key
from medevac.db import UNAVAILABLE as DB_UNAVAILABLE
from medevac.monitoring.metrics import FAMILIES, Snapshot, read_snapshot

FRESH_S = 2.0
QUERY_TIMEOUT_S = 5.0
log = structlog.get_logger()


class MissionStateCollector(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.snapshot: Snapshot = {}
        self.refreshed_at = 0.0  # monotonic
        self.wanted = asyncio.Event()
        self.database_up = Gauge("medevac_database_up",
                                 "1 if this replica's last monitoring query reached PostgreSQL", registry=registry)
        self.refreshed = Gauge("medevac_monitoring_refresh_timestamp_seconds",
                               "Unix time of the last successful read of the mission-state figures",
                               registry=registry)
        registry.register(self)

    def describe(self) -> Iterable:
        return [self._family(name, []) for name in FAMILIES]

    def collect(self) -> Iterable:
        if time.monotonic() - self.refreshed_at > FRESH_S:
            self.wanted.set()
        return [self._family(name, self.snapshot.get(name, [])) for name in FAMILIES]

    @staticmethod
    def _family(name: str, samples: list) -> GaugeMetricFamily | CounterMetricFamily:
        kind, help_text, labels = FAMILIES[name]
        cls = CounterMetricFamily if kind == "counter" else GaugeMetricFamily
        family = cls(name, help_text, labels=labels)
        for label_values, value in samples:
            family.add_metric(label_values, value)
        return family

    async def refresh(self, pool: asyncpg.Pool) -> None:
        """Read a new snapshot; on failure keep the old one. Only a database that cannot be reached is
        reported down: a query that fails on the data (a value out of range) is logged as the bug it
        is, and a false "database down" would page the wrong people."""
        try:
            async with asyncio.timeout(QUERY_TIMEOUT_S), pool.acquire() as conn:
                self.snapshot = await read_snapshot(conn)
        except DB_UNAVAILABLE as exc:
            self.database_up.set(0)
            log.warning("monitoring.refresh_failed", error=type(exc).__name__)
        except asyncpg.PostgresError as exc:
            self.database_up.set(1)
            log.error("monitoring.query_failed", error=type(exc).__name__, detail=str(exc)[:200])
        else:
            self.database_up.set(1)
            self.refreshed.set(time.time())
        self.refreshed_at = time.monotonic()

    async def run(self, pool: asyncpg.Pool) -> None:
        """Refresh when a scrape finds the snapshot stale, at most once per FRESH_S."""
        while True:
            await self.wanted.wait()
            self.wanted.clear()
            await self.refresh(pool)
            await asyncio.sleep(FRESH_S)


collector_key: web.AppKey[MissionStateCollector] = web.AppKey("monitoring_collector", MissionStateCollector)


async def refresh_ctx(app: web.Application) -> AsyncIterator[None]:
    collector = app[collector_key]
    await collector.refresh(app[pool_key])  # the first scrape already has figures
    task = asyncio.create_task(collector.run(app[pool_key]), name="monitoring-refresh")
    yield
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
