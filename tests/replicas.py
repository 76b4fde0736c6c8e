"""`medevac serve` replicas as real subprocesses: started, probed, killed and terminated by tests."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.factories import free_port

REPO = Path(__file__).resolve().parents[1]


class Replica:
    """One service process on its own port; its log goes to a file the test can show on failure."""

    def __init__(self, database_url: str, log_path: Path, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = os.environ | {"MEDEVAC_DATABASE_URL": database_url, "MEDEVAC_PORT": str(self.port),
                                 "MEDEVAC_LOG_LEVEL": "warning", "MEDEVAC_LOG_FORMAT": "json",
                                 "MEDEVAC_PLANNER_DEBOUNCE_S": "0.05"} | settings
        self.process: subprocess.Popen | None = None

    @property
    def application_name(self) -> str:
        """How this replica's connections appear in pg_stat_activity (medevac.db.pool)."""
        return f"medevac-{socket.gethostname()[:40]}-{self.process.pid}"

    async def start(self, ready_within_s: float = 30.0) -> "Replica":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "medevac", "serve"], cwd=REPO,
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        async with aiohttp.ClientSession() as session:
            async with asyncio.timeout(ready_within_s):
                while True:
                    if self.process.poll() is not None:
                        raise AssertionError(f"replica exited with {self.process.returncode}:\n{self.log()}")
                    try:
                        async with session.get(f"{self.url}/readyz") as r:
                            if r.status == 200:
                                return self
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    async def exit_code(self, within_s: float) -> int:
        """Wait (without blocking the loop) for the process to exit; its return code."""
        async with asyncio.timeout(within_s):
            while self.process.poll() is None:
                await asyncio.sleep(0.05)
        return self.process.returncode


