"""The offer-timeout sweeper: a background loop per replica, safe to run on several at once.

Offers live in the database, so a restart loses nothing: the next pass finds what fell
due. Each consult is handled in its own transaction under `FOR UPDATE SKIP LOCKED`, so
two replicas never expire the same offer twice and never wait on each other.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import asyncpg
import structlog
from aiohttp import web

from medevac.keys import consult_sockets_key, metrics_key, pool_key, settings_key
from medevac.telemed.broker import broker_key
from medevac.telemed import chat, consults
from medevac.telemed.access import utcnow
from medevac.telemed.broker import Broker
from medevac.telemed.metrics import TelemedMetrics

log = structlog.get_logger(__name__)
SIGNAL_TTL = timedelta(hours=1)  # WebRTC signalling is useless minutes after it was sent


async def sweep(pool: asyncpg.Pool, broker: Broker, now: datetime) -> int:
    """One pass at time `now`: lapse overdue offers, retry unmatched consults; returns consults moved."""
    moved = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            consult = await consults.next_overdue(conn, now)
            if consult is None:
                break
            await broker.expire(conn, consult, now)
            moved += 1
    async with pool.acquire() as conn:
        waiting = await consults.unmatched_ids(conn)
    for consult_id in waiting:
        async with pool.acquire() as conn, conn.transaction():
            consult = await consults.get(conn, consult_id, for_update=True, skip_locked=True)
            if consult is not None and consult.status == "unmatched":
                moved += (await broker.dispatch(conn, consult, now)).status != "unmatched"
    async with pool.acquire() as conn:
        await chat.prune_signals(conn, now - SIGNAL_TTL)
    return moved


async def _loop(app: web.Application) -> None:
    interval = app[settings_key].telemed_sweep_interval_s
    while True:
        try:
            await sweep(app[pool_key], app[broker_key], utcnow())
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("telemed.sweep_failed", error=type(exc).__name__)
        await asyncio.sleep(interval)


async def telemed_ctx(app: web.Application) -> AsyncIterator[None]:
    """The broker, its metrics and the offer-timeout sweeper."""
    app[broker_key] = Broker(app[settings_key], TelemedMetrics(app[metrics_key].registry))
    app[consult_sockets_key] = set()
    task = asyncio.create_task(_loop(app))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
