"""`GET /v1/consults/{id}/ws`: one websocket per party per consult (protocol in README).

Messages are stored before they are acknowledged and delivered from the table in sequence
order, so a client that reconnects with `?after=<last seq>` (to any replica) gets exactly
what it missed. The hub only wakes sessions; content never travels through the outbox.
"""

import asyncio
import contextlib
import json

import structlog
from aiohttp import WSCloseCode, WSMsgType, web
from pydantic import Field

from medevac import privacy
from medevac.errors import forbidden
from medevac.keys import consult_sockets_key, pool_key, settings_key
from medevac.hub import hub_key
from medevac.http.liveconns import live_key
from medevac.telemed.broker import broker_key
from medevac.http.liveconns import ending
from medevac.http.middleware import translate
from medevac.models import Strict
from medevac.telemed import access, chat
from medevac.telemed.inbox import go_online, keep_online
from medevac.telemed.model import Consult
from medevac.telemed.session_frames import FrameError, handle_frame
from medevac.telemed.signalling import check_origin, ice_servers
from medevac.http.web import Call, RouteTable

log = structlog.get_logger(__name__)
routes = RouteTable("consult sessions")
OTHER = {"clinician": "specialist", "specialist": "clinician"}
STATUS_EVENTS = frozenset({"consult.accepted", "consult.closed", "consult.cancelled"})
# The reconnect hint (README "Graceful shutdown"): 1012 "service restart" means this replica is
# going away or dropped the stream; reconnect at once (to any replica) and resume after the last
# sequence held. Nothing is lost: messages are stored before they are acknowledged.
RECONNECT_CODE = WSCloseCode.SERVICE_RESTART
RECONNECT_HINT = b"reconnect with ?after=<last seq>"


class SessionQuery(Strict):
    after: int = Field(0, ge=0, description="last message sequence the client holds; it gets every later one")
    access_token: str | None = Field(None, description="bearer token for browsers (cannot set headers)")


class Session:
    def __init__(self, app: web.Application, ws: web.WebSocketResponse, consult: Consult, party: str,
                 user: str, after: int) -> None:
        self.app, self.ws, self.consult, self.party, self.user = app, ws, consult, party, user
        self.delivered = after
        self.send_lock = asyncio.Lock()
        self.deliver_lock = asyncio.Lock()
        self.pool = app[pool_key]

    async def send(self, frame: dict) -> None:
        async with self.send_lock:
            if not self.ws.closed:
                await self.ws.send_str(json.dumps(frame, default=str))

    async def deliver_messages(self) -> None:
        """Send every stored message after the last one delivered, in sequence order."""
        async with self.deliver_lock:
            while True:
                async with self.pool.acquire() as conn:
                    page = await chat.since(conn, self.consult.id, self.delivered)
                for message in page:
                    await self.send(message)
                    self.delivered = message["seq"]
                if len(page) < 500:
                    return

    async def welcome(self) -> None:
        async with self.pool.acquire() as conn:
            reads = await chat.reads(conn, self.consult.id)
            current = await access.load(conn, self.consult.id)
        settings = self.app[settings_key]
        await self.send({"type": "welcome", "consult_id": str(self.consult.id), "party": self.party,
                         "status": current.status, "last_seq": current.last_seq, "reads": reads,
                         "ice_servers": ice_servers(settings, self.user, access.utcnow())})

    async def follow(self, sub) -> None:
        """Relay what the hub announces for this consult; end the socket when the hub ends us."""
        mine = str(self.consult.id)
        async for event in sub.each():
            if event.entity == "consult" and event.entity_id == mine:
                await self.relay(event)
        await self.ws.close(code=RECONNECT_CODE, message=RECONNECT_HINT)

    async def relay(self, event) -> None:
        if event.type == "consult.message_posted":
            await self.deliver_messages()
        elif event.type == "consult.read":
            await self.send({"type": "read", "party": event.payload["party"], "seq": event.payload["seq"]})
        elif event.type == "consult.signalled" and event.payload["to"] == self.party:
            await self.relay_signal(event.payload["signal_id"])
        elif event.type in STATUS_EVENTS:
            await self.send({"type": "status", "status": event.payload["status"]})

    async def relay_signal(self, signal_id: int) -> None:
        async with self.pool.acquire() as conn:
            body = await chat.signal(conn, self.consult.id, signal_id, self.party)
        if body is not None:
            await self.send({"type": "signal", "from": OTHER[self.party], "signal": body})

    async def receive(self) -> None:
        async for msg in self.ws:
            if msg.type != WSMsgType.TEXT:
                await self.send({"type": "error", "code": "text_only", "detail": "send JSON text frames"})
                continue
            reply = await self.answer(msg.data)
            if reply is not None:
                await self.send(reply)

    async def answer(self, raw: str) -> dict | None:
        """The reply to one frame; any failure is an error frame on this socket, which stays open
        (an HTTP problem cannot be sent once the socket is open)."""
        try:
            return await handle_frame(self, raw)
        except FrameError as exc:
            return exc.frame()
        except Exception as exc:  # noqa: BLE001 - answered as a frame, and logged if unexpected
            return error_frame(exc)


def error_frame(exc: Exception) -> dict:
    """What the problem middleware would have answered over HTTP, as a protocol frame."""
    problem = translate(exc)
    if problem is None:
        log.exception("ws.unhandled_error")
        return {"type": "error", "code": "internal", "detail": "an unexpected error was logged; send it again"}
    code = "unavailable" if problem.status == 503 else "invalid" if problem.status < 500 else "internal"
    return {"type": "error", "code": code, "detail": problem.detail}


async def heartbeats(session: Session) -> None:
    """A frame the browser can see (protocol pings are invisible to it): a silent link shows."""
    period = session.app[settings_key].heartbeat_s
    while not session.ws.closed:
        await asyncio.sleep(period)
        await session.send({"type": "heartbeat"})


async def run(session: Session) -> None:
    hub = session.app[hub_key]
    sub = hub.subscribe(session.consult.mission_id)  # before the replay: nothing falls in between
    tasks = [asyncio.create_task(session.follow(sub)), asyncio.create_task(heartbeats(session))]
    if session.party == "specialist":
        online = await go_online(session.pool, session.consult.specialist_id)
        tasks.append(asyncio.create_task(keep_online(session.pool, session.consult.specialist_id, online)))
    try:
        await session.welcome()
        await session.deliver_messages()
        await session.receive()
    finally:
        hub.unsubscribe(sub)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


@routes.get("/v1/consults/{consult_id}/ws", summary="Consult session websocket: chat, receipts, WebRTC signalling",
            roles=frozenset({"clinician", "specialist"}), query=SessionQuery, stream=True)
async def consult_session(call: Call) -> web.StreamResponse:
    app = call.request.app
    check_origin(call.request, app[settings_key])
    async with app[pool_key].acquire() as conn:
        consult = await access.load(conn, call.uuid_param("consult_id", "consult"))
        party = await access.party_of(conn, consult, call.principal)
        if party is None:
            raise forbidden("only the requesting clinician and the accepting specialist take part")
        await privacy.read(conn, call.principal, "consult_chat", [(consult.id, consult.mission_id)],
                           purpose="teleconsult session")
    ws = web.WebSocketResponse(heartbeat=20, max_msg_size=64 * 1024)
    with app[live_key].held(call.request, call.principal, ending(ws)):
        await ws.prepare(call.request)
        sockets, gauge = app[consult_sockets_key], app[broker_key].metrics.sessions
        sockets.add(ws)
        gauge.inc()
        try:
            await run(Session(app, ws, consult, party, call.principal.user, call.query.after))
        finally:
            sockets.discard(ws)
            gauge.dec()
    return ws


async def close_sessions(app: web.Application) -> None:
    """On shutdown: close every session so clients reconnect (to another replica) at once."""
    await asyncio.gather(*(ws.close(code=RECONNECT_CODE, message=RECONNECT_HINT)
                           for ws in list(app.get(consult_sockets_key, ()))))
