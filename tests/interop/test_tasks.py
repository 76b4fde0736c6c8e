"""Stopping background tasks never swallows the caller's own cancellation (a shutdown must not hang)."""

import asyncio

import pytest

from medevac.interop.tasks import stop


async def test_stop_lets_the_callers_own_cancellation_through():
    release = asyncio.Event()

    async def slow_to_wind_down():
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await release.wait()
            raise

    inner = asyncio.create_task(slow_to_wind_down())
    await asyncio.sleep(0)

    async def closing() -> str:
        await stop([inner])
        return "carried on"

    outer = asyncio.create_task(closing())
    await asyncio.sleep(0)  # the caller now waits for the inner task to end
    outer.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await outer
    assert inner.cancelled()
