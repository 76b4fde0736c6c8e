"""The open-loop generator, run in its own process: Poisson arrivals at a fixed rate, whatever the replies.

Latency is measured from the moment a call was *due*, not when it went out, so a slow service
cannot hide queueing behind a slowed-down client (coordinated omission).
"""

import asyncio
import itertools
import random
import time
from dataclasses import dataclass, field

import aiohttp
import orjson
import uvloop

from bench.load import mix
from bench.load.fixture import Fixture, bearer

TIMEOUT_S = 10.0


@dataclass
class Sample:
    kind: str
    due: float  # time.monotonic(), comparable across processes on Linux
    done: float
    status: int  # 0: timeout or connection error
    key: tuple = ()  # what the call changed: for the ledger and the fan-out join


@dataclass
class Tracker:
    """A vehicle's position reporter: one report at a time, with the version it last saw."""

    version: int
    at: tuple[float, float]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Generator:
    def __init__(self, fx: Fixture, urls: list[str], run: str, seed: int) -> None:
        self.fx, self.urls, self.run = fx, urls, run
        self.rng = random.Random(seed)
        self.counter = itertools.count()
        self.trackers: dict[str, Tracker] = {}
        self.created: list[str] = []  # 9-lines that got a 201, for detail reads
        self.samples: list[Sample] = []

    async def __aenter__(self) -> "Generator":
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=512),
                                          timeout=aiohttp.ClientTimeout(total=TIMEOUT_S))
        async with self.http.get(f"{self.urls[0]}/v1/assets?limit=500", headers=bearer(self.fx.admin)) as r:
            for asset in (await r.json())["items"]:
                position = asset["position"]
                self.trackers[asset["id"]] = Tracker(asset["version"], (position["lat"], position["lon"]))
        return self

    async def __aexit__(self, *exc) -> None:
        await self.http.close()

    async def step(self, rate: float, duration_s: float) -> list[Sample]:
        """Send Poisson arrivals at `rate` per second for `duration_s`; return every call's sample."""
        self.samples = []
        tasks = set()
        start = due = time.monotonic()
        while True:
            due += self.rng.expovariate(rate)
            if due - start > duration_s:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            task = asyncio.create_task(self.fire(mix.pick_kind(self.rng), due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks)
        return self.samples

    async def fire(self, kind: str, due: float) -> None:
        n = next(self.counter)
        url = self.urls[n % len(self.urls)]  # round robin, as a load balancer would
        if kind == "position report":
            await self.report_position(url, due)
            return
        call, key = self.compose(kind, n)
        status, reply = await self.send(url, call)
        if kind == "9-line":
            key = key + ((reply or {}).get("id"),)
            if status == 201:
                self.created.append(reply["id"])
        elif kind == "chat message":
            key = key + ((reply or {}).get("seq"),)
        self.samples.append(Sample(kind, due, time.monotonic(), status, key))

    def compose(self, kind: str, n: int) -> tuple[mix.Call, tuple]:
        fx, rng = self.fx, self.rng
        if kind == "request detail" and self.created:
            request_id = self.created[-rng.randint(1, min(50, len(self.created)))]  # recent calls are read most
            return mix.Call(kind, "GET", f"/v1/evac-requests/{request_id}", rng.choice(fx.readers)), ()
        if kind == "9-line":
            call_sign = f"{self.run}-{n}"
            return mix.nine_line(rng, fx.callers[n % len(fx.callers)], call_sign), (call_sign,)
        if kind == "chat message":
            consult_id, clinician, specialist = fx.chats[n % len(fx.chats)]
            client_id = f"{self.run}-{n}"
            token = clinician if rng.random() < 0.5 else specialist
            return mix.chat_message(consult_id, token, client_id, rng), (consult_id, client_id)
        kind = kind if kind.startswith("board") else "board: open requests"
        return mix.board_read(kind, fx.mission_id, rng.choice(fx.readers)), ()

    async def report_position(self, url: str, due: float) -> None:
        asset_id = self.rng.choice(tuple(self.trackers))
        tracker = self.trackers[asset_id]
        status, reply = 0, None
        try:  # a device sends its next fix once the last is answered, and gives up with the same timeout
            async with asyncio.timeout(due + TIMEOUT_S - time.monotonic()):
                await tracker.lock.acquire()
        except TimeoutError:
            pass
        else:
            try:
                call = mix.position_report(asset_id, self.fx.trackers[asset_id], tracker.version, self.rng,
                                           tracker.at)
                status, reply = await self.send(url, call)
                if status == 200:
                    tracker.version = reply["version"]
                elif status == 409 and reply:
                    tracker.version = reply["current"]["version"]
            finally:
                tracker.lock.release()
        key = (asset_id, (reply or {}).get("version"))
        self.samples.append(Sample("position report", due, time.monotonic(), status, key))

    async def send(self, url: str, call: mix.Call) -> tuple[int, dict | None]:
        """Status and, for a change, the decoded reply (board pages are read whole but not decoded:
        decoding them with the json module was most of this process's CPU, on the shared cores)."""
        headers = bearer(call.token) | (call.headers or {})
        try:
            async with self.http.request(call.method, url + call.path, json=call.json, headers=headers) as r:
                body = await r.read()
                wanted = call.method != "GET" and r.content_type.endswith("json") and body
                return r.status, orjson.loads(body) if wanted else None
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return 0, None


def serve(pipe, fx: Fixture, urls: list[str], run: str, seed: int) -> None:
    """Process entry: run each ("step", rate, seconds) sent on the pipe and send back its samples."""
    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with Generator(fx, urls, run, seed) as generator:
            pipe.send("ready")
            while (command := await loop.run_in_executor(None, pipe.recv))[0] == "step":
                pipe.send(await generator.step(command[1], command[2]))

    uvloop.run(main())  # as the replicas run: the load tools share their two cores
