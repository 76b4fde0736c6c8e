"""`GET /v1/telemed/inbox/ws`: a specialist's standing connection. While it is open the
specialist counts as online (the matcher prefers them), and offers arrive as they are made."""

import asyncio
import contextlib
import json
import uuid

import asyncpg
from aiohttp import WSCloseCode, web

from medevac.keys import pool_key, settings_key
from medevac.hub import hub_key
from medevac.http.liveconns import live_key
from medevac.http.liveconns import ending
from medevac.telemed import specialists
from medevac.telemed.access import acting_specialist
from medevac.telemed.signalling import check_origin
from medevac.http.web import Call, RouteTable

routes = RouteTable("consult sessions")
PRESENCE_BEAT_S = 20
OFFER_EVENTS = frozenset({"consult.offered", "consult.broadcast"})


async def go_online(pool: asyncpg.Pool, specialist_id: uuid.UUID) -> uuid.UUID:
    connection_id = uuid.uuid4()
    async with pool.acquire() as conn:
        await specialists.connected(conn, specialist_id, connection_id)
    return connection_id


async def keep_online(pool: asyncpg.Pool, specialist_id: uuid.UUID, connection_id: uuid.UUID) -> None:
    """Refresh the presence row until cancelled, then remove it (it goes stale if this replica dies)."""
    try:
        while True:
            await asyncio.sleep(PRESENCE_BEAT_S)
            async with pool.acquire() as conn:
                await specialists.connected(conn, specialist_id, connection_id)
    finally:
        with contextlib.suppress(Exception):
            async with pool.acquire() as conn:
                await specialists.disconnected(conn, connection_id)


async def forward_offers(ws: web.WebSocketResponse, sub, specialist_id: uuid.UUID) -> None:
    mine = str(specialist_id)
    async for event in sub.each():
        if event.type in OFFER_EVENTS and mine in event.payload.get("offered_to", []):
            await ws.send_str(json.dumps({"type": "offer", "consult_id": event.entity_id, "mode": event.type[8:],
                                          "urgency": event.payload["urgency"], "specialty": event.payload["specialty"],
                                          "expires_at": event.payload.get("expires_at")}))
    await ws.close(code=WSCloseCode.SERVICE_RESTART, message=b"reconnect")  # as consult sessions


@routes.get("/v1/telemed/inbox/ws", summary="Specialist inbox websocket: presence and live offers",
            roles=frozenset({"specialist"}), stream=True)
async def inbox(call: Call) -> web.StreamResponse:
    app = call.request.app
    check_origin(call.request, app[settings_key])
    async with app[pool_key].acquire() as conn:
        specialist = await acting_specialist(conn, call.principal)
    ws = web.WebSocketResponse(heartbeat=20)
    with app[live_key].held(call.request, call.principal, ending(ws)):
        await ws.prepare(call.request)
        await listen(app, ws, specialist.id)
    return ws


async def listen(app: web.Application, ws: web.WebSocketResponse, specialist_id: uuid.UUID) -> None:
    sub = app[hub_key].subscribe(None)  # a specialist may answer for several missions
    online = await go_online(app[pool_key], specialist_id)
    tasks = [asyncio.create_task(keep_online(app[pool_key], specialist_id, online)),
             asyncio.create_task(forward_offers(ws, sub, specialist_id))]
    try:
        await ws.send_str(json.dumps({"type": "welcome", "specialist_id": str(specialist_id)}))
        async for _ in ws:
            pass  # the inbox only listens; answers go through POST /v1/consults/{id}/accept|decline
    finally:
        app[hub_key].unsubscribe(sub)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
