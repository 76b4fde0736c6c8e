"""A client that stops reading an event stream is cut off once a write waits past the stall limit."""

import asyncio
import contextlib
import socket

from aiohttp import web

from medevac.http.sse import EventStream

FRAME = b"data: " + b"x" * 1000 + b"\r\n\r\n"


async def test_a_stalled_client_is_aborted_and_the_stream_ends(aiohttp_server):
    outcome: asyncio.Future = asyncio.get_running_loop().create_future()

    async def handler(request: web.Request) -> web.StreamResponse:
        stream = EventStream(send_timeout=0.5)
        await stream.prepare(request)
        with contextlib.suppress(TimeoutError):  # fill the kernel's buffers and the transport's
            async with asyncio.timeout(2):
                while not request.protocol.writing_paused:
                    await stream.write(FRAME)
        try:
            while True:  # the client reads nothing: a write must wait past the limit
                await stream.send_frames(FRAME)
        except (TimeoutError, ConnectionResetError) as error:
            outcome.set_result((type(error), stream.client_request.transport))
        return stream

    app = web.Application()
    app.router.add_get("/events", handler)
    server = await aiohttp_server(app)
    peer = socket.socket()
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    peer.setblocking(False)
    await asyncio.get_running_loop().sock_connect(peer, (server.host, server.port))
    try:
        await asyncio.get_running_loop().sock_sendall(peer, b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        error, transport = await asyncio.wait_for(outcome, 30)  # never read: the server must give up
        assert error is TimeoutError
        assert transport is None or transport.is_closing()  # aborted, not left to drain forever
    finally:
        peer.close()
