"""Killable CPU work: an overrun or an abandoned call costs its worker, which is killed and replaced."""

import asyncio
import os
from pathlib import Path

import pytest

from medevac.cpu import CpuPool


def spin(started: str) -> None:
    """Announce the worker's pid, then compute forever (a solve that never returns)."""
    Path(started).write_text(str(os.getpid()))
    while True:
        pass


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)


async def gone(pid: int) -> bool:
    """Whether the process ends (is reaped) within 10 s."""
    for _ in range(200):
        if not Path(f"/proc/{pid}").exists():
            return True
        await asyncio.sleep(0.05)
    return False


async def announced(path: Path) -> int:
    for _ in range(200):
        if path.exists() and path.read_text():
            return int(path.read_text())
        await asyncio.sleep(0.05)
    raise AssertionError("the work never started in a worker")


@pytest.fixture
async def pool():
    cpu = CpuPool(1, start_method="fork", niceness=5)
    yield cpu
    await asyncio.to_thread(cpu.shutdown)


async def test_work_that_overruns_its_time_limit_is_killed_and_its_worker_replaced(pool, tmp_path):
    started = tmp_path / "pid"
    with pytest.raises(TimeoutError):
        await pool.run(spin, str(started), timeout=0.5)
    worker = await announced(started)
    assert await gone(worker)
    assert await pool.run(os.getpid, timeout=10) != worker  # the pool serves on with a new worker


async def test_work_abandoned_by_its_caller_is_killed(pool, tmp_path):
    started = tmp_path / "pid"
    call = asyncio.create_task(pool.run(spin, str(started)))  # no time limit of its own
    worker = await announced(started)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert await gone(worker)


async def test_workers_run_niced_below_the_event_loop(pool):
    assert await pool.run(niceness) == min(niceness() + 5, 19)


async def test_a_failure_in_the_work_reaches_the_caller(pool):
    with pytest.raises(ZeroDivisionError):
        await pool.run(divmod, 1, 0)
