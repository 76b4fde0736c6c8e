"""Background tasks of the interop features: stopped together, their ends awaited."""

import asyncio
import contextlib
from collections.abc import Iterable


async def stop(tasks: Iterable[asyncio.Task]) -> None:
    """Cancel the tasks and wait for them; an error they ended with has been logged where it happened."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await task
