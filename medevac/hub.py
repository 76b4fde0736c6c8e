"""Live events: each replica LISTENs on PostgreSQL and fans the outbox out to its streams.

NOTIFY only says "something new"; the hub then reads the outbox itself, in sequence
order, so a notification lost while the listener reconnects costs latency, not events.
"""

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

import asyncpg
import structlog
from aiohttp import web

from medevac import audit, events
from medevac.db import RETRYABLE as DB_UNAVAILABLE
from medevac.db.pool import application_name
from medevac.keys import dsn_key, metrics_key, pool_key, settings_key

log = structlog.get_logger(__name__)

SAFETY_POLL_S = 5.0  # re-read the outbox this often even without a notification
# While the database is away the listener retries on this backoff, so it is back within about
# LISTEN_RETRY_MAX_S of the database (one cheap connection attempt per period meanwhile).
LISTEN_RETRY_MIN_S, LISTEN_RETRY_MAX_S = 0.25, 2.0
LISTEN_CONNECT_TIMEOUT_S = 5.0
QUEUE_LIMIT = 2000  # a subscriber this far behind is dropped and resumes by Last-Event-ID


@dataclass(frozen=True)
class Event:
    seq: int
    at: str
    mission_id: str | None
    type: str
    entity: str
    entity_id: str
    payload: Any

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> "Event":
        mission = row["mission_id"]
        return cls(row["seq"], row["at"].isoformat(), str(mission) if mission else None,
                   row["type"], row["entity"], row["entity_id"], row["payload"])

    def as_json(self) -> str:
        return json.dumps({f.name: getattr(self, f.name) for f in fields(self)})

    @cached_property
    def frame(self) -> bytes:
        """The whole server-sent event, encoded once however many streams carry it."""
        return f"id: {self.seq}\r\nevent: {self.type}\r\ndata: {self.as_json()}\r\n\r\n".encode()


@dataclass(eq=False)
class Subscription:
    """What the hub has delivered to one stream and it has not taken yet."""

    mission_id: str | None  # None: every mission
    since: int = 0  # the hub's last sequence number when subscribed: only later events are for it
    _pending: list[Event] = field(default_factory=list)
    _waiter: asyncio.Future | None = None
    _ended: bool = False

    def push(self, events: list[Event]) -> bool:
        """Queue a batch; False when this stream is too far behind to keep: more than QUEUE_LIMIT
        events still untaken from earlier batches. (One big batch, a catch-up, is no sign.)"""
        if len(self._pending) > QUEUE_LIMIT:
            return False
        if events[0].seq <= self.since:  # subscribed while this batch was held back
            events = [e for e in events if e.seq > self.since]
        if events and not self._ended:
            self._pending.extend(events)
            self._wake()
        return True

    def end(self, *, drop_pending: bool = False) -> None:
        """No more events: `take` returns what is pending (unless dropped), then None."""
        self._ended = True
        if drop_pending:
            self._pending = []
        self._wake()

    async def take(self) -> list[Event] | None:
        """Every event delivered since the last take, oldest first; None once ended."""
        while not self._pending and not self._ended:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if not self._pending:
            return None
        batch, self._pending = self._pending, []
        return batch

    async def each(self) -> AsyncIterator[Event]:
        """Each event in order, until the hub ends this subscription."""
        while (batch := await self.take()) is not None:
            for event in batch:
                yield event

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class EventHub:
    def __init__(self, dsn: str, pool: asyncpg.Pool, *, coalesce_s: float, on_deliver=None) -> None:
        self.coalesce_s = coalesce_s  # streams get at most one batch this often (MEDEVAC_STREAM_COALESCE_S)
        self._dsn = dsn
        self._pool = pool
        self.reads = audit.ReadBatcher(pool)  # streams' audited reads of patient details, written together
        self._on_deliver = on_deliver
        self._subscriptions: set[Subscription] = set()
        self._wake = asyncio.Event()
        self.last_seq = 0
        self._batch: list[Event] = []  # delivered, not yet handed to the subscriptions
        self._flush_at: asyncio.TimerHandle | None = None
        self._flushed_at = float("-inf")

    def subscribe(self, mission_id: uuid.UUID | None) -> Subscription:
        sub = Subscription(str(mission_id) if mission_id else None, self.last_seq)
        self._subscriptions.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._subscriptions.discard(sub)

    async def run(self) -> None:
        async with self._pool.acquire() as conn:
            self.last_seq = await conn.fetchval("SELECT coalesce(max(seq), 0) FROM events")
        pump = asyncio.create_task(self._pump())
        try:
            await self._listen_forever()
        finally:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
            self.end_streams()

    def end_streams(self) -> None:
        """End every stream (shutdown): each client reconnects, to us or another replica."""
        if self._flush_at is not None:
            self._flush_at.cancel()
            self._flush()  # what was delivered goes out before the end
        for sub in list(self._subscriptions):
            self._end(sub)

    def _end(self, sub: Subscription, *, drop_pending: bool = False) -> None:
        self.unsubscribe(sub)
        sub.end(drop_pending=drop_pending)

    async def _listen_forever(self) -> None:
        backoff = LISTEN_RETRY_MIN_S
        while True:
            try:
                await self._listen_once()
                backoff = LISTEN_RETRY_MIN_S  # it was up: retry quickly after a blink
            except DB_UNAVAILABLE as exc:
                log.warning("events.listen_failed", error=type(exc).__name__, retry_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, LISTEN_RETRY_MAX_S)

    async def _listen_once(self) -> None:
        """LISTEN until the connection is lost; any failure on the way propagates for a retry."""
        conn = await asyncpg.connect(self._dsn, timeout=LISTEN_CONNECT_TIMEOUT_S,
                                     server_settings={"application_name": application_name()})
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _c: lost.set())
        try:
            await conn.add_listener(events.CHANNEL, lambda *_: self._wake.set())
            self._wake.set()  # catch up on whatever committed while we were away
            log.info("events.listening")
            await lost.wait()
            log.warning("events.listener_lost")
        finally:
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)

    async def _pump(self) -> None:
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), SAFETY_POLL_S)
            self._wake.clear()
            try:
                await self._drain()
            except DB_UNAVAILABLE as exc:  # the next wake-up or safety poll reads again
                log.warning("events.read_failed", error=type(exc).__name__)

    async def _drain(self) -> None:
        while True:
            async with self._pool.acquire() as conn:
                rows = await events.since(conn, self.last_seq, limit=500)
            self.deliver([Event.from_row(row) for row in rows])
            if len(rows) < 500:
                return

    def deliver(self, events: list[Event]) -> None:
        """Events read from the outbox, in order: handed to the subscriptions now if the last
        hand-over was a coalescing period ago, else when it is."""
        if not events:
            return
        self.last_seq = events[-1].seq
        self._batch.extend(events)
        if self._on_deliver:
            for event in events:
                self._on_deliver(event)
        if self._flush_at is not None:
            return
        loop = asyncio.get_running_loop()
        due = self._flushed_at + self.coalesce_s
        if loop.time() >= due:
            self._flush()
        else:
            self._flush_at = loop.call_at(due, self._flush)

    def _flush(self) -> None:
        self._flush_at = None
        self._flushed_at = asyncio.get_running_loop().time()
        batch, self._batch = self._batch, []
        # One list per mission, shared by its streams, so frames are built once per batch.
        by_mission: dict[str | None, list[Event]] = {}
        for event in batch:
            by_mission.setdefault(event.mission_id, []).append(event)
        for sub in list(self._subscriptions):
            events = batch if sub.mission_id is None else by_mission.get(sub.mission_id)
            if events and not sub.push(events):  # too far behind: it resumes by Last-Event-ID instead
                self._end(sub, drop_pending=True)


async def hub_ctx(app: web.Application) -> AsyncIterator[None]:
    metrics = app[metrics_key]
    hub = EventHub(app[dsn_key], app[pool_key], on_deliver=lambda _e: metrics.events_published.inc(),
                   coalesce_s=app[settings_key].stream_coalesce_s)
    app[hub_key] = hub
    task = asyncio.create_task(hub.run())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def end_streams_on_shutdown(app: web.Application) -> None:
    if hub_key in app:
        app[hub_key].end_streams()


async def batches(hub: EventHub, mission_id: uuid.UUID | None,
                  on_drop: Callable[[], Awaitable[None]] | None = None) -> AsyncIterator[list[Event]]:
    """A background follower's batches; when the hub drops it (too far behind) it resubscribes and
    `on_drop` runs, to make up for what it missed."""
    sub = hub.subscribe(mission_id)
    try:
        while True:
            batch = await sub.take()
            if batch is None:
                hub.unsubscribe(sub)
                sub = hub.subscribe(mission_id)
                if on_drop is not None:
                    await on_drop()
                continue
            yield batch
    finally:
        hub.unsubscribe(sub)


hub_key: web.AppKey[EventHub] = web.AppKey("hub", EventHub)
