"""Hundreds of live consoles (`GET /v1/events`) in their own process, noting when each event arrives.

A console reads only the `id:` of each event (the join with what caused it happens afterwards,
from the outbox), and reconnects with `Last-Event-ID` when a stream ends, as the web console does.
"""

import asyncio
import re
import resource
import time
from array import array
from pathlib import Path

import aiohttp
import uvloop
import numpy as np

from bench.load.fixture import bearer

EVENT_ID = re.compile(rb"^id: ?(\d+)$", re.M)


class Console:
    def __init__(self, url: str, token: str, after: int) -> None:
        self.url, self.token, self.last = url, token, after
        self.seqs, self.times = array("q"), array("d")
        self.connects = 0

    async def follow(self, http: aiohttp.ClientSession, connected: asyncio.Event) -> None:
        while True:
            headers = bearer(self.token) | {"Last-Event-ID": str(self.last), "Accept": "text/event-stream"}
            try:
                async with http.get(f"{self.url}/v1/events", headers=headers) as r:
                    if r.status != 200:
                        raise aiohttp.ClientResponseError(r.request_info, (), status=r.status)
                    self.connects += 1
                    connected.set()
                    await self._read(r)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(1.0)  # the server's retry hint

    async def _read(self, response: aiohttp.ClientResponse) -> None:
        tail = b""
        async for chunk in response.content.iter_any():
            now = time.monotonic()
            # aiohttp-sse ends lines with CRLF; a CR alone at a chunk's end is joined up next time.
            complete, _, tail = (tail + chunk).replace(b"\r\n", b"\n").rpartition(b"\n\n")
            for match in EVENT_ID.finditer(complete):
                seq = int(match[1])
                if seq > self.last:  # a replay after a reconnect may overlap what we have
                    self.seqs.append(seq)
                    self.times.append(now)
                    self.last = seq


def raise_open_files(wanted: int = 8192) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def serve(pipe, urls: list[str], tokens: list[str], after: int, out: Path) -> None:
    """Process entry: connect every console, say "ready", follow until ("stop", seq), then save arrivals."""
    raise_open_files()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        consoles = [Console(urls[i % len(urls)], token, after) for i, token in enumerate(tokens)]
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            flags = [asyncio.Event() for _ in consoles]
            tasks = [asyncio.create_task(c.follow(http, f)) for c, f in zip(consoles, flags)]
            for i in range(0, len(flags), 50):  # connect in waves, like a shift coming on duty
                await asyncio.gather(*(f.wait() for f in flags[i:i + 50]))
            pipe.send("ready")
            _, final_seq = await loop.run_in_executor(None, pipe.recv)
            deadline = time.monotonic() + 30
            while any(c.last < final_seq for c in consoles) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        np.savez(out, console=np.concatenate([np.full(len(c.seqs), i) for i, c in enumerate(consoles)]),
                 seq=np.concatenate([np.frombuffer(c.seqs, dtype=np.int64) for c in consoles]),
                 at=np.concatenate([np.frombuffer(c.times, dtype=np.float64) for c in consoles]),
                 connects=np.array([c.connects for c in consoles]))
        pipe.send("saved")

    uvloop.run(main())  # as the replicas run: the load tools share their two cores
