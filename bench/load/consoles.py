"""Hundreds of live consoles (`GET /v1/events`) in their own process, noting when each event arrives.

A console reads only the `id:` of each event (the join with what caused it happens afterwards,
from the outbox), and reconnects with `Last-Event-ID` when a stream ends, as the web console does.
The stream is read straight off the socket (HTTP/1.1, chunked): an HTTP client's coroutine per
chunk made this process the largest user of the shared CPU after the replicas.
"""

import asyncio
import resource
import time
from array import array
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import uvloop


class Console(asyncio.Protocol):
    """One console's stream, read in the transport's callback: no coroutine and no HTTP client per
    chunk, so 500 of them cost the shared machine little (the replicas are what is measured)."""

    def __init__(self, url: str, token: str, after: int) -> None:
        split = urlsplit(url)
        self.host, self.port, self.token, self.last = split.hostname, split.port, token, after
        self.seqs, self.times = array("q"), array("d")
        self.connects = 0
        self.connected = asyncio.Event()
        self._ended: asyncio.Future | None = None
        self._head, self._tail, self._streaming = b"", b"", False

    async def follow(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._ended = loop.create_future()
            self._head, self._tail, self._streaming = b"", b"", False
            try:
                transport, _ = await asyncio.wait_for(
                    loop.create_connection(lambda: self, self.host, self.port), 10)
            except (OSError, TimeoutError):
                pass
            else:
                try:
                    await self._ended
                finally:
                    transport.close()
            await asyncio.sleep(1.0)  # the server's retry hint

    def connection_made(self, transport: asyncio.Transport) -> None:
        transport.write(
            f"GET /v1/events HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAuthorization: Bearer {self.token}\r\n"
            f"Accept: text/event-stream\r\nLast-Event-ID: {self.last}\r\n\r\n".encode())

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        if not self._streaming:
            self._head += data
            if b"\r\n\r\n" not in self._head:
                return
            head, _, data = self._head.partition(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                self._end()
                return
            self._streaming = True
            self.connects += 1
            self.connected.set()
        # Only whole events count (a partial one waits in the tail for the rest). An `id:` is found
        # with bytes.find at line starts: JSON data lines cannot hold a raw newline, and chunk-size
        # lines and aiohttp-sse's CRLFs pass through. (A regex over the ~60 MB/s of frames at
        # 200 req/s took a core by itself.)
        buffer = self._tail + data
        end = buffer.rfind(b"\r\n\r\n")
        if end < 0:
            self._tail = buffer
            return
        complete, self._tail = b"\n" + buffer[:end], buffer[end + 4:]
        at = complete.find(b"\nid: ")
        while at >= 0:
            stop = complete.find(b"\r", at)
            seq = int(complete[at + 5:stop])
            if seq > self.last:  # a replay after a reconnect may overlap what we have
                self.seqs.append(seq)
                self.times.append(now)
                self.last = seq
            at = complete.find(b"\nid: ", stop)

    def connection_lost(self, exc: Exception | None) -> None:
        self._end()

    def _end(self) -> None:
        if self._ended is not None and not self._ended.done():
            self._ended.set_result(None)


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
        tasks = [asyncio.create_task(c.follow()) for c in consoles]
        for i in range(0, len(consoles), 50):  # connect in waves, like a shift coming on duty
            await asyncio.gather(*(c.connected.wait() for c in consoles[i:i + 50]))
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
