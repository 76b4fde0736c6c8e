"""Slow clients alongside the load, in their own process: half trickle a request head, half a
9-line body, one byte every TRICKLE_S, each reconnecting as soon as the service ends it, so the
given number are held open the whole time. What the service answered them is counted."""

import asyncio
from collections import Counter
from urllib.parse import urlsplit

import uvloop

from bench.load.consoles import raise_open_files

TRICKLE_S = 2.0
BODY_BYTES = 100_000


def opening(host: str, token: str, body: bool) -> bytes:
    if body:  # a 9-line that never finishes arriving, from a field user of its own (no rate limit shared)
        return (f"POST /v1/evac-requests HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: text/plain\r\nContent-Length: {BODY_BYTES}\r\n\r\nLINE 1: ").encode()
    return f"GET /v1/facilities HTTP/1.1\r\nHost: {host}\r\nX-Slow: ".encode()  # a head that never ends


async def hold(url: str, token: str, body: bool, outcomes: Counter) -> None:
    """Keep one slow client connected: trickle until the service answers or closes, then again."""
    split = urlsplit(url)
    while True:
        try:
            reader, writer = await asyncio.open_connection(split.hostname, split.port)
        except OSError:
            outcomes["connect failed"] += 1
            await asyncio.sleep(TRICKLE_S)
            continue
        outcomes["opened"] += 1
        writer.write(opening(split.netloc, token, body))
        answer = asyncio.ensure_future(reader.readline())
        try:
            while not answer.done():
                writer.write(b"x")
                await asyncio.wait([answer], timeout=TRICKLE_S)
            line = answer.result()
            outcomes[line.split(b" ")[1].decode() if line.startswith(b"HTTP/") else "closed"] += 1
        except (OSError, IndexError):
            outcomes["closed"] += 1
        finally:
            answer.cancel()
            writer.close()


def serve(pipe, urls: list[str], tokens: list[str]) -> None:
    """Process entry: hold one slow client per token (over the replicas), say "ready", stop on ("stop",)
    and send back the outcomes: HTTP statuses the service answered, "closed" when it just hung up."""
    raise_open_files()

    async def main() -> None:
        outcomes: Counter = Counter()
        tasks = [asyncio.create_task(hold(urls[i % len(urls)], token, i % 2 == 0, outcomes))
                 for i, token in enumerate(tokens)]
        pipe.send("ready")
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        pipe.send(dict(outcomes))

    uvloop.run(main())
