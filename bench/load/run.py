"""One configuration (N replicas): seed, connect the consoles, step through the rates, check the ledger."""

import asyncio
import multiprocessing
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.load import cluster, consoles, drive, slowloris
from bench.load.drive import Sample
from bench.load.fixture import open_consults, seed
from bench.load.ledger import Ledger, change_key, check_deliveries, check_rows, event_keys
from medevac.db.pool import create_pool

SPAWN = multiprocessing.get_context("spawn")  # fresh interpreters: their CPU is their own


@dataclass
class Step:
    rate: float
    seconds: float
    samples: list[Sample]
    cpu: dict[str, float]  # share of one core during the step, per process group
    fanout_ms: np.ndarray = field(default_factory=lambda: np.empty(0))


@dataclass
class RunResult:
    replicas: int
    steps: list[Step]
    ledger: Ledger
    fanout_ms: np.ndarray  # every (event, console) latency over the whole run
    slow: dict[str, int] = field(default_factory=dict)  # what the slow clients got, when there were any


async def recv(pipe):
    return await asyncio.get_running_loop().run_in_executor(None, pipe.recv)


def cpu_snapshot(pids: dict[str, list[int]]) -> dict[str, dict[int, float]]:
    snap = {name: {p: cluster.cpu_seconds(p) for p in group} for name, group in pids.items()}
    return snap | {"machine": {0: cluster.machine_busy_seconds()}, "wall": {0: time.monotonic()}}


def cpu_shares(before: dict, after: dict) -> dict[str, float]:
    """Share of one core per group over the step (processes present at both ends)."""
    wall = after["wall"][0] - before["wall"][0]
    return {name: sum(after[name][p] - t for p, t in group.items() if p in after[name]) / wall
            for name, group in before.items() if name != "wall"}


async def last_seq(pool) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT coalesce(max(seq), 0) FROM events")


async def run(server_dsn: str, work: Path, *, replicas: int, rates: list[float], step_s: float,
              console_count: int, slow_count: int = 0) -> RunResult:
    run_name = f"r{replicas}"
    database = f"medevac_load_{run_name}"
    dsn = await cluster.fresh_database(server_dsn, database)
    fx, specialist_tokens = await seed(dsn, consoles=console_count, slow=slow_count)
    pool = await create_pool(dsn, min_size=1, max_size=2)
    async with cluster.replicas(dsn, work, replicas) as started:
        urls = [r.url for r in started]
        await open_consults(urls[0], fx, specialist_tokens)
        start_seq = await last_seq(pool)
        console_pipe, theirs = SPAWN.Pipe()
        arrivals_file = work / f"arrivals-{run_name}.npz"
        watcher = SPAWN.Process(target=consoles.serve, args=(theirs, urls, fx.consoles, start_seq, arrivals_file))
        watcher.start()
        assert await recv(console_pipe) == "ready"
        gen_pipe, theirs = SPAWN.Pipe()
        generator = SPAWN.Process(target=drive.serve, args=(theirs, fx, urls, run_name, 8))
        generator.start()
        assert await recv(gen_pipe) == "ready"
        slow_pipe, theirs = SPAWN.Pipe()
        slow = SPAWN.Process(target=slowloris.serve, args=(theirs, urls, fx.slow))
        if slow_count:
            slow.start()
            assert await recv(slow_pipe) == "ready"
        pids = {"replicas": [r.process.pid for r in started], "consoles": [watcher.pid],
                "generator": [generator.pid]}
        steps = []
        for rate in rates:
            pids["postgres"] = cluster.backends(database)
            before = cpu_snapshot(pids)
            gen_pipe.send(("step", rate, step_s))
            samples = await recv(gen_pipe)
            steps.append(Step(rate, step_s, samples, cpu_shares(before, cpu_snapshot(pids))))
            print(f"  {replicas} replica(s), {rate:g} req/s: {len(samples)} calls", flush=True)
            await asyncio.sleep(2)  # let the planner and the consoles catch up between steps
        gen_pipe.send(("stop",))
        generator.join()
        slow_outcomes = {}
        if slow_count:
            slow_pipe.send(("stop",))
            slow_outcomes = await recv(slow_pipe)
            slow.join()
        final_seq = await last_seq(pool)
        console_pipe.send(("stop", final_seq))
        assert await recv(console_pipe) == "saved"
        watcher.join()
    ledger = Ledger()
    async with pool.acquire() as conn:
        await check_rows(conn, run_name, [s for step in steps for s in step.samples], ledger)
        expected, keys = await event_keys(conn, fx.mission_id, start_seq, final_seq)
    await pool.close()
    arrivals = dict(np.load(arrivals_file))
    check_deliveries(arrivals, expected, ledger)
    return RunResult(replicas, steps, ledger, fanout(steps, keys, arrivals, start_seq, final_seq), slow_outcomes)


def fanout(steps: list[Step], keys: dict, arrivals: dict, start_seq: int, final_seq: int) -> np.ndarray:
    """Latency from each change's 2xx to its event at each console, per step and overall (ms)."""
    size = final_seq - start_seq
    done_at = np.full(size + 1, np.nan)
    step_of = np.full(size + 1, -1)
    for i, step in enumerate(steps):
        for s in step.samples:
            key = change_key(s) if 200 <= s.status < 300 else None
            seq = keys.get(key) if key else None
            if seq is not None:
                done_at[seq - start_seq] = s.done
                step_of[seq - start_seq] = i
    seqs = arrivals["seq"]
    window = seqs <= final_seq
    index = seqs[window] - start_seq
    latency = (arrivals["at"][window] - done_at[index]) * 1000
    measured = ~np.isnan(latency)
    for i, step in enumerate(steps):
        step.fanout_ms = latency[measured & (step_of[index] == i)]
    return latency[measured]
