"""Background tasks of the interop features: stopped together, their ends awaited."""

import asyncio
from collections.abc import Iterable


async def stop(tasks: Iterable[asyncio.Task]) -> None:
    """Cancel the tasks and wait for them (an error they ended with has been logged where it happened).
    A cancellation of the caller itself still propagates: swallowing it would leave the caller running
    (a dial-out loop cancelled while closing one connection would dial again, and shutdown would hang)."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
