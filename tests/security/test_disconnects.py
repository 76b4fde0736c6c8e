"""Clients that go away mid-request, mid-stream or mid-upload are ordinary: the service logs no
traceback and nothing at warning or above for them, and keeps serving."""

import asyncio
import json
import re
from urllib.parse import urlsplit

import aiohttp

from .world import RADIO

GUARD_S = 90  # a hang guard: an event stream notices a vanished client at its next ping (15 s)


async def vanish(url: str, request: bytes, read: int = 0) -> None:
    """Send a request, optionally read the first bytes of the answer, then drop the connection hard."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(request)
    await writer.drain()
    if read:
        await reader.readexactly(read)
    writer.transport.abort()  # no FIN: a reset, as a phone losing signal looks to the server


def live_gauges(metrics: str) -> tuple[float, float]:
    """Open event streams and consult websockets, as this replica counts them."""
    found = [re.search(rf"^{name} (\S+)$", metrics, re.M) for name in
             ("medevac_sse_connections", "medevac_consult_sessions")]
    return tuple(float(m.group(1)) if m else 0.0 for m in found)


async def test_clients_that_vanish_leave_no_traceback_and_no_warning(live_server, live_world):
    h, consult = live_world.headers, live_world.ids["consult_id"]
    head = "Host: medevac\r\n"
    auth = {role: f"Authorization: {v['Authorization']}\r\n" for role, v in h.items()}
    radio = RADIO.encode()
    ws_head = ("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n")
    cases = [
        (f"GET /v1/events HTTP/1.1\r\n{head}{auth['dispatcher']}\r\n".encode(), 12),  # mid-stream
        (f"GET /v1/consults/{consult}/ws HTTP/1.1\r\n{head}{auth['clinician']}{ws_head}\r\n".encode(), 12),
        (f"GET /v1/telemed/inbox/ws HTTP/1.1\r\n{head}{auth['specialist']}{ws_head}\r\n".encode(), 12),
        (f"GET /v1/evac-requests?limit=200 HTTP/1.1\r\n{head}{auth['dispatcher']}\r\n".encode(), 0),  # before the answer
        (f"POST /v1/evac-requests HTTP/1.1\r\n{head}{auth['field']}Content-Type: text/plain\r\n"
         f"Content-Length: {len(radio)}\r\n\r\n".encode() + radio[:20], 0),  # mid-body
        (f"POST /v1/evac-requests HTTP/1.1\r\n{head}{auth['field']}Content-Type: text/plain\r\n"
         f"Content-Length: {len(radio)}\r\n\r\n".encode() + radio, 0),  # after the body, before the answer
    ]
    async with asyncio.timeout(GUARD_S), aiohttp.ClientSession(base_url=live_server.url) as http:
        for _ in range(4):
            for request, read in cases:
                await vanish(live_server.url, request, read)
        while live_gauges(await (await http.get("/metrics")).text()) != (0.0, 0.0):
            await asyncio.sleep(0.5)  # until the service has noticed every one of them
        assert (await http.get("/v1/facilities", headers=h["dispatcher"])).status == 200
    output = live_server.output()
    assert "Traceback" not in output
    loud = [line for line in output.splitlines() if line.startswith("{")
            and json.loads(line).get("level") in ("warning", "error", "critical")]
    assert not loud, loud[:5]
