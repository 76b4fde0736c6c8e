"""Security fixtures: the real service in its own process on a real port, and a seeded mission."""

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from pathlib import Path

import aiohttp
import pytest

from tests.factories import free_port

from .world import World, seed_world

TURN_SECRET = "turn-static-secret-do-not-log-7f3a"
DB_PASSWORD = "db-password-do-not-log-91c2"  # the test server trusts local connections: any password works


def with_password(dsn: str) -> str:
    parts = urlsplit(dsn)
    host = parts.netloc.rpartition("@")[2]  # may be empty: a unix socket named in the query
    return urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}:{DB_PASSWORD}@{host}"))


@dataclass
class LiveServer:
    url: str
    log: Path
    process: subprocess.Popen

    def output(self) -> str:
        return self.log.read_text(errors="replace")


async def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):  # a busy shared machine: up to a minute, but stop as soon as it answers
            if process.poll() is not None:
                raise RuntimeError(f"medevac serve exited: {log.read_text()[-2000:]}")
            try:
                async with session.get(url + "/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("medevac serve never became ready")


@pytest.fixture
def live_env() -> dict[str, str]:
    """Extra MEDEVAC_* settings for the live server; a test overrides it by parametrizing `live_env`."""
    return {}


@pytest.fixture
async def live_server(database_url: str, tmp_path: Path, live_env: dict[str, str]):
    """`medevac serve` as a subprocess on a free port: JSON logs at info captured to a file."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = os.environ | live_env | {
        "MEDEVAC_DATABASE_URL": with_password(database_url), "MEDEVAC_LOG_FORMAT": "json", "MEDEVAC_LOG_LEVEL": "info",
        "MEDEVAC_RATE_CALLS_PER_MINUTE": "1000000", "MEDEVAC_RATE_CREATES_PER_MINUTE": "1000000",
        "MEDEVAC_PLANNER_ENABLED": "false", "MEDEVAC_TURN_SECRET": TURN_SECRET,
        "MEDEVAC_TURN_URLS": '["turn:turn.medevac.invalid:3478"]', "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "medevac", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(url, process, log)
        yield LiveServer(url, log, process)
    finally:
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 20)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)


@pytest.fixture
async def live_world(live_server: LiveServer, token, mission) -> World:
    """A mission with one of everything, created through the live server's API."""
    async with aiohttp.ClientSession(base_url=live_server.url) as session:
        return await seed_world(session, token, mission.id)


@pytest.fixture
async def world(client, token, mission) -> World:
    """The same mission, created through the in-process test client."""
    return await seed_world(client, token, mission.id)
