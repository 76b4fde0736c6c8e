"""Slow clients over real sockets: a trickled body costs a socket, never a database connection;
slow headers and idle keep-alive are cut off; a body that never finishes gets 408."""

import asyncio
from urllib.parse import urlsplit

import aiohttp
import pytest

from .world import PNG

SLOW = {"MEDEVAC_POOL_MIN_SIZE": "1", "MEDEVAC_POOL_MAX_SIZE": "3", "MEDEVAC_BODY_TIMEOUT_S": "5",
        "MEDEVAC_KEEPALIVE_TIMEOUT_S": "1"}
GUARD_S = 60  # only a hang guard, far past every setting above


async def connect(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(url)
    return await asyncio.open_connection(parts.hostname, parts.port)


async def start_trickle(url: str, path: str, headers: dict, content_type: str, length: int = 100_000):
    """Send a request head with `Expect: 100-continue`; once the server has routed it (it answers
    100 Continue, then runs the handler), send the first byte of a body that never completes."""
    reader, writer = await connect(url)
    head = [f"POST {path} HTTP/1.1", "Host: medevac", f"Content-Type: {content_type}",
            f"Content-Length: {length}", "Expect: 100-continue", *(f"{k}: {v}" for k, v in headers.items())]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    assert (await reader.readline()).startswith(b"HTTP/1.1 100")
    await reader.readline()
    writer.write(b"L")
    await writer.drain()
    return reader, writer


async def keep_trickling(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    """One byte every half second until the server answers; its status line."""
    answer = asyncio.ensure_future(reader.readline())
    while not answer.done():
        writer.write(b"L")
        await asyncio.wait([answer], timeout=0.5)
    return answer.result()


@pytest.mark.parametrize("live_env", [SLOW])
async def test_trickled_bodies_hold_no_pool_connection_and_end_in_408(live_server, live_world):
    h, consult = live_world.headers, live_world.ids["consult_id"]
    async with asyncio.timeout(GUARD_S):
        slow = [await start_trickle(live_server.url, "/v1/evac-requests", h["field"], "text/plain")
                for _ in range(4)]
        slow += [await start_trickle(live_server.url, f"/v1/consults/{consult}/attachments", h["clinician"],
                                     "image/png", 10 * len(PNG)) for _ in range(2)]
        slow += [await start_trickle(live_server.url, "/v1/facilities", h["admin"], "application/json")]
        # Seven requests are in their handlers with a pool of three: every other caller still gets through.
        async with aiohttp.ClientSession(base_url=live_server.url) as http:
            for _ in range(5):
                response = await http.get("/v1/facilities", headers=h["dispatcher"])
                assert response.status == 200, await response.text()
            assert (await http.get("/readyz")).status == 200
        answers = await asyncio.gather(*(keep_trickling(r, w) for r, w in slow))
    assert all(line.startswith(b"HTTP/1.1 408") for line in answers), answers
    for _, writer in slow:
        writer.close()


@pytest.mark.parametrize("live_env", [SLOW])
async def test_slow_headers_and_idle_keep_alive_are_cut_off(live_server, live_world):
    async with asyncio.timeout(GUARD_S):
        slow = [await connect(live_server.url) for _ in range(5)]
        for _, writer in slow:
            writer.write(b"GET /v1/facilities HTTP/1.1\r\nHost: medevac\r\n")

        async def trickle_headers(reader, writer) -> bytes:
            closed = asyncio.ensure_future(reader.read())
            while not closed.done():
                writer.write(b"X")  # one byte of a header that never ends
                await asyncio.wait([closed], timeout=0.3)
            return closed.result()

        assert await asyncio.gather(*(trickle_headers(r, w) for r, w in slow)) == [b""] * 5
        reader, writer = await connect(live_server.url)  # one request answered, then idle
        token = live_world.headers["dispatcher"]["Authorization"]
        writer.write(f"GET /v1/facilities HTTP/1.1\r\nHost: medevac\r\nAuthorization: {token}\r\n\r\n".encode())
        assert (await reader.readline()).startswith(b"HTTP/1.1 200")
        await reader.read()  # the rest of the answer, then the server's close
        assert reader.at_eof()
    for _, w in [*slow, (reader, writer)]:
        w.close()
