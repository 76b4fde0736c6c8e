"""The CoT feed: TAK clients connect over TCP (TLS when configured), get the mission's picture and its
changes, and may send 9-line MEDEVAC events. The service may also dial a mission's TAK server.

One follower renders each change once and hands the bytes to every connection's queue; a
connection that cannot keep up is closed (the client reconnects and gets the whole picture).
Everything a peer sends is read through the framer and the safe parser: bad input is logged and
counted, and the connection goes on.
"""

import asyncio
import uuid
from datetime import datetime, timezone

import structlog
from aiohttp import web

from medevac.interop.cot import codes, intake, out
from medevac.interop.cot.framing import OVERSIZE, Framer
from medevac.interop.cot.inbound import Rejected, nine_line_of, parse_event
from medevac.interop.cot.picture import Picture
from medevac.interop.metrics import InteropMetrics
from medevac.interop.tasks import stop
from medevac.keys import limits_key, pool_key, settings_key
from medevac.hub import hub_key
from medevac.hub import batches

log = structlog.get_logger(__name__)
QUEUE_LIMIT = 5000
READ_CHUNK = 65_536
WRITE_TIMEOUT_S = 30.0
ENTITIES = frozenset({"asset", "facility", "evac_request", "evacuation"})


class Feed:
    def __init__(self, app: web.Application, mission_id: uuid.UUID, metrics: InteropMetrics) -> None:
        settings = app[settings_key]
        self.app, self.mission_id, self.metrics = app, mission_id, metrics
        self.limit = settings.cot_max_event_bytes
        self.stale_s = settings.cot_stale_s
        self.picture = Picture(mission_id, settings.cot_stale_s)
        self.queues: set[asyncio.Queue] = set()

    async def follow(self) -> None:
        async for batch in batches(self.app[hub_key], self.mission_id):
            touched = list(dict.fromkeys((e.entity, e.entity_id) for e in batch if e.entity in ENTITIES))
            if not touched or not self.queues:
                continue
            try:
                async with self.app[pool_key].acquire() as conn:
                    items = [item for entity, ident in touched
                             for item in await self.picture.changed(conn, entity, ident)]
            except Exception:  # noqa: BLE001 — the database away: these changes are missed, the feed goes on
                log.exception("cot.render_failed", changes=len(touched))
                continue
            self.broadcast(items)

    async def refresh(self) -> None:
        """Re-send the whole picture before it goes stale on the clients: a quiet asset stays on the map."""
        while True:
            await asyncio.sleep(self.stale_s / 2)
            if not self.queues:
                continue
            try:
                async with self.app[pool_key].acquire() as conn:
                    items = await self.picture.everything(conn)
            except Exception:  # noqa: BLE001 — the database away: try again next period
                log.exception("cot.refresh_failed")
                continue
            self.broadcast(items)

    def broadcast(self, items) -> None:
        data = b"".join(out.to_bytes(i) for i in items)
        for item in items:
            self.metrics.cot_sent.labels(_kind(item.get("type"))).inc()
        for queue in list(self.queues):
            if queue.qsize() >= QUEUE_LIMIT:
                self.queues.discard(queue)
                queue.put_nowait(None)  # too far behind: its writer ends the connection
            else:
                queue.put_nowait(data)

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = "%s:%s" % (writer.get_extra_info("peername") or ("?", "?"))[:2]
        queue: asyncio.Queue = asyncio.Queue()
        self.queues.add(queue)  # before the snapshot: a change meanwhile is sent after it, not lost
        self.metrics.cot_connections.inc()
        log.info("cot.connected", peer=peer)
        tasks = {asyncio.create_task(self._send(writer, queue)), asyncio.create_task(self._receive(reader, queue, peer))}
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)  # either side ends it
            for task in done:
                if task.exception() is not None and not isinstance(task.exception(), (ConnectionError, OSError,
                                                                                       asyncio.TimeoutError)):
                    log.error("cot.session_failed", peer=peer, error=repr(task.exception()))
        finally:  # closed and counted before awaiting anything: a cancellation cannot skip it
            self.queues.discard(queue)
            writer.close()
            self.metrics.cot_connections.dec()
            log.info("cot.disconnected", peer=peer)
            await stop(tasks)

    async def _send(self, writer: asyncio.StreamWriter, queue: asyncio.Queue) -> None:
        async with self.app[pool_key].acquire() as conn:
            items = await self.picture.everything(conn)
        for item in items:
            self.metrics.cot_sent.labels(_kind(item.get("type"))).inc()
        writer.write(b"".join(out.to_bytes(i) for i in items))
        await asyncio.wait_for(writer.drain(), WRITE_TIMEOUT_S)
        while (data := await queue.get()) is not None:
            writer.write(data)
            await asyncio.wait_for(writer.drain(), WRITE_TIMEOUT_S)  # a peer that stopped reading is let go
        writer.close()

    async def _receive(self, reader: asyncio.StreamReader, queue: asyncio.Queue, peer: str) -> None:
        framer = Framer(self.limit)
        while data := await reader.read(READ_CHUNK):
            for raw in framer.feed(data):
                if raw is OVERSIZE:
                    self._rejected(peer, Rejected("oversize", f"an event larger than {self.limit} bytes was dropped"))
                    continue
                await self._handle(raw, queue, peer)

    async def _handle(self, raw: bytes, queue: asyncio.Queue, peer: str) -> None:
        try:
            root = parse_event(raw)
            kind = root.get("type") or ""
            if kind == codes.PING:
                queue.put_nowait(out.to_bytes(out.pong(now=datetime.now(timezone.utc))))
                return
            if kind != codes.MEDEVAC:
                self.metrics.cot_received.labels("ignored").inc()  # positions, chat…: not ours to keep
                return
            event = nine_line_of(root)
            sender = intake.principal(self.mission_id, event.callsign, peer).user
            if self.app[limits_key].creates.retry_after(sender) > 0:  # the HTTP intake's limit, per device
                raise Rejected("rate_limited", f"{sender} sent more 9-lines than a minute allows")
            fresh = await intake.take(self.app[pool_key], self.mission_id, event, raw, peer)
        except Rejected as rejected:
            self._rejected(peer, rejected)
            return
        except Exception:  # noqa: BLE001 — the database or a bug: log it, keep the connection
            self.metrics.cot_received.labels("error").inc()
            log.exception("cot.event_failed", peer=peer)
            return
        self.metrics.cot_received.labels("accepted" if fresh else "duplicate").inc()
        log.info("cot.nine_line", peer=peer, uid=event.uid, outcome="accepted" if fresh else "duplicate")

    def _rejected(self, peer: str, rejected: Rejected) -> None:
        self.metrics.cot_received.labels(rejected.outcome).inc()
        log.warning("cot.rejected", peer=peer, outcome=rejected.outcome, reason=str(rejected))


def _kind(cot_type: str | None) -> str:
    if cot_type == codes.MEDEVAC:
        return "medevac"
    if cot_type == codes.DELETE:
        return "delete"
    if cot_type == codes.HOSPITAL:
        return "facility"
    return "asset" if cot_type and cot_type.startswith("a-") else "other"
