"""`GET /v1/events`: the outbox as server-sent events, resumable with `Last-Event-ID`."""

import asyncio
import json
import uuid

from aiohttp import web
from aiohttp_sse import EventSourceResponse, sse_response
from pydantic import BaseModel, Field

from medevac import events, privacy
from medevac.auth import ROLES
from medevac.db import RETRYABLE as DB_RETRYABLE
from medevac.errors import invalid
from medevac.keys import metrics_key, pool_key, settings_key
from medevac.hub import hub_key
from medevac.http.liveconns import live_key
from medevac.hub import Event
from medevac.http.liveconns import Live
from medevac.http.web import Call, RouteTable

routes = RouteTable("events")
REPLAY_PAGE = 500
RECONNECT_MS = 1000
AUDIT_RETRY_S = (0.1, 0.3, 1.0, 2.0)  # pauses between tries of an audit write, about 3.5 s in all
VIEW = privacy.EventView()  # per process: frames without patient details, shared by every stream


class EventStream(EventSourceResponse):
    """An SSE response that writes events encoded once by the hub, not once per stream.

    Built on aiohttp-sse's public surface only: the request is kept from `prepare` and the stall
    limit from the constructor's `send_timeout`, so a new release of the library cannot move them.
    """

    def __init__(self, *, send_timeout: float | None = EventSourceResponse.DEFAULT_SEND_TIMEOUT,
                 **kwargs) -> None:
        super().__init__(send_timeout=send_timeout, **kwargs)
        self.stall_timeout = send_timeout
        self.client_request: web.BaseRequest | None = None

    async def prepare(self, request: web.BaseRequest):
        self.client_request = request
        return await super().prepare(request)

    async def send_frames(self, frames: bytes) -> None:
        # The same stalled-client handling as EventSourceResponse.send, but a timer only when the
        # client has already stopped reading: one per write per console was a cost of fan-out. A
        # write that stalls part-way is ended by the kernel (aiohttp-sse sets TCP_USER_TIMEOUT).
        try:
            if self.client_request.protocol.writing_paused:
                async with asyncio.timeout(self.stall_timeout):
                    await self.write(frames)
            else:
                await self.write(frames)
        except ConnectionResetError:
            self.stop_streaming()
            raise
        except TimeoutError:
            self.stop_streaming()
            if (transport := self.client_request.transport) is not None:
                transport.abort()  # a stalled peer never drains the buffer: a graceful close would hang
            raise


MAX_SEQ = 2**63 - 1  # the outbox's bigint: a larger id cannot be a position in it


class EventStreamQuery(BaseModel):
    mission: uuid.UUID | None = Field(None, description="mission to follow (default: the token's)")
    last_event_id: int | None = Field(None, ge=0, le=MAX_SEQ, description="resume after this sequence number")


def _resume_point(call: Call) -> int | None:
    """Checked before the stream starts: a bad id is a 400, not a stream that drops at once (a
    browser's EventSource would reconnect to it in a loop)."""
    header = call.request.headers.get("Last-Event-ID")
    if header is None:
        return call.query.last_event_id
    if not (header.isascii() and header.isdigit()) or int(header) > MAX_SEQ:
        raise invalid("Last-Event-ID", f"must be an event sequence number from 0 to {MAX_SEQ}", status=400)
    return int(header)


@routes.get(
    "/v1/events", summary="Stream events (SSE); reconnect with Last-Event-ID to replay what was missed",
    roles=frozenset(ROLES), query=EventStreamQuery, stream=True,
)
async def stream_events(call: Call) -> web.StreamResponse:
    app = call.request.app
    mission = call.principal.default_mission(call.query.mission)
    after = _resume_point(call)
    hub = app[hub_key]
    sub = None

    async def end() -> None:  # the token was revoked or expired
        if sub is not None:
            sub.end(drop_pending=True)

    with app[live_key].held(call.request, call.principal, end) as live:
        # Subscribe before replaying so nothing falls between the replay and the live feed.
        sub = hub.subscribe(mission)
        if after is None:
            after = hub.last_seq
        gauge = app[metrics_key].sse_connections
        gauge.inc()
        heartbeat = app[settings_key].heartbeat_s  # ": ping" comments: the console's proof of a live link
        try:
            async with sse_response(call.request, ping_interval=heartbeat, response_cls=EventStream) as stream:
                after = await _replay(app, stream, mission, after, call.principal)
                await _follow(stream, sub, after, app, live)
            return stream
        finally:
            hub.unsubscribe(sub)
            gauge.dec()


async def _follow(stream, sub, after: int, app: web.Application, live: Live) -> None:
    """Send live events until the client goes away (the ping fails), the hub ends us, or the
    token stops being valid."""
    closed = asyncio.ensure_future(stream.wait())
    closed.add_done_callback(lambda _: sub.end())  # the client going away wakes the reader
    try:
        while (batch := await sub.take()) is not None and not closed.done():
            fresh = [e for e in batch if e.seq > after]
            if fresh:
                frames = await _audited_frames(app, live.principal, fresh)
                if frames is None:
                    break  # the database stays away: the client resumes from `after` by Last-Event-ID
                await stream.send_frames(frames)
                after = fresh[-1].seq
        if closed.done():
            return
        if live.ended:  # no retry hint: reconnecting with this token gets 401
            await stream.send(json.dumps({"detail": "the token was revoked or has expired; sign in again"}),
                              event="unauthorized")
        else:  # dropped or shutting down: resume soon, with Last-Event-ID
            await stream.send(json.dumps({"reconnect_after_ms": RECONNECT_MS}), event="reconnect",
                              retry=RECONNECT_MS)
    finally:
        closed.cancel()


async def _audited_frames(app: web.Application, principal, fresh: list[Event]) -> bytes | None:
    """The frames once their reads are audited; the first write after the database comes back
    may meet a connection it cut, so it is tried again briefly (None: still away)."""
    for pause in (*AUDIT_RETRY_S, None):
        try:
            return await VIEW.frames(app[hub_key].reads, principal, fresh)
        except DB_RETRYABLE:
            if pause is None:
                return None
            await asyncio.sleep(pause)


async def _replay(app: web.Application, stream, mission: uuid.UUID | None, after: int, principal) -> int:
    while True:
        async with app[pool_key].acquire() as conn:
            rows = await events.since(conn, after, mission_id=mission, limit=REPLAY_PAGE)
        if rows:
            await stream.send_frames(await VIEW.frames(app[hub_key].reads, principal,
                                                       [Event.from_row(r) for r in rows]))
            after = rows[-1]["seq"]
        if len(rows) < REPLAY_PAGE:
            return after
