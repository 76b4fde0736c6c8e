"""Killable CPU work: the one way the service runs a solve, a grid or a simulation off the event loop.

Work goes to pebble worker processes, never to a thread: a thread cannot be stopped when it
overruns (it runs on, holding its slot and the GIL), where a worker process is killed and replaced.
A native crash costs a worker, not the replica. Workers run niced, so when cores are short the
kernel serves the event loops (9-line intake, the boards, the live streams) first.

`run` awaits one call with a time limit (`TimeoutError` once it is killed); a call abandoned by
its awaiter (cancelled, or its own deadline passed) is killed too. What to do instead, the
fallback, is the caller's: the planner plans `closest`, the coverage grid answers "not ready".
"""

import asyncio
import multiprocessing
import os
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, TypeVar

import pebble
from aiohttp import web

T = TypeVar("T")


def lower_priority(niceness: int) -> None:
    """In each new worker: yield the CPU to the replicas' event loops when both want it."""
    os.nice(niceness)


def ready() -> bool:
    return True


class CpuPool:
    """Worker processes started on first use (or by `start`), niced by `niceness`."""

    def __init__(self, workers: int = 1, *, start_method: str = "forkserver", niceness: int = 10,
                 preload: Iterable[str] = ()) -> None:
        context = multiprocessing.get_context(start_method)
        if start_method == "forkserver" and preload:
            context.set_forkserver_preload(list(preload))  # each new worker starts with these imported
        self.workers = workers
        self._pool = pebble.ProcessPool(max_workers=workers, context=context, initializer=lower_priority,
                                        initargs=(niceness,))

    async def start(self) -> None:
        """Start every worker now, so the first call does not spend its time limit on that."""
        await asyncio.gather(*(asyncio.wrap_future(self._pool.schedule(ready)) for _ in range(self.workers)))

    async def run(self, function: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """`function(*args)` in a worker (arguments and result cross pickled); killed past `timeout` s."""
        future = self._pool.schedule(function, args=args, timeout=timeout)
        try:
            return await asyncio.wrap_future(future)
        finally:
            future.cancel()  # abandoned (cancelled, shutdown): pebble kills the worker running it

    def map(self, function: Callable[..., T], items: Iterable[Any], *, chunksize: int = 1,
            timeout: float | None = None) -> Iterator[T]:
        """Blocking, for a coordinating thread: results in order; a chunk past `timeout` s is killed."""
        return self._pool.map(function, items, chunksize=chunksize, timeout=timeout).result()

    def shutdown(self) -> None:
        """Stop at once: running work is abandoned and its workers killed. Blocks up to 5 s."""
        self._pool.stop()
        self._pool.join(timeout=5)


cpu_key: web.AppKey[CpuPool] = web.AppKey("cpu", CpuPool)


async def cpu_ctx(app: web.Application) -> AsyncIterator[None]:
    """The app's pool for CPU work a request waits on (the coverage grid): one niced worker,
    started on first use; killed at shutdown."""
    pool = app[cpu_key] = CpuPool(1)
    yield
    await asyncio.to_thread(pool.shutdown)
