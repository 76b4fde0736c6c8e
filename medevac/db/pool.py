"""The asyncpg pool as a cleanup context: opened at start-up, closed at shutdown."""

import os
import socket
from collections.abc import AsyncIterator

import asyncpg
import orjson
import structlog
from aiohttp import web

from medevac.db import embedded, migrations
from medevac.keys import dsn_key, pool_key, settings_key

log = structlog.get_logger(__name__)


def _encode_json(value: object) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb in and out as Python objects, everywhere. orjson: decoding board rows with the
    # standard json module was 9 % of a replica's time under load.
    await conn.set_type_codec("jsonb", encoder=_encode_json, decoder=orjson.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to reset on release: pooled sessions never LISTEN, SET or take session-level
    advisory locks (the hub LISTENs on its own connection; plan locks are per transaction), and
    asyncpg itself rolls back a transaction left open. The default reset cost a round trip
    (`RESET ALL; UNLISTEN *; …`) on every release."""


# A replica that dies mid-statement (SIGKILL, a lost host) leaves its session waiting on a lock
# or running; PostgreSQL (14+) then checks the socket this often and ends the session, so its
# locks (tasking rows, the planning advisory lock) pass to the other replica within seconds.
SESSION_SETTINGS = {"client_connection_check_interval": "2000"}


def application_name() -> str:
    """This process as `pg_stat_activity` shows it: which replica holds a lock or a transaction."""
    return f"medevac-{socket.gethostname()[:40]}-{os.getpid()}"


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, reset=_keep_session, command_timeout=30,
        server_settings={"application_name": application_name(), **SESSION_SETTINGS},
    )


async def resolve_dsn(app: web.Application) -> str:
    settings = app[settings_key]
    return settings.dsn() or await embedded.start_async(settings.data_dir)


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[settings_key]
    dsn = await resolve_dsn(app)
    pool = await create_pool(dsn, min_size=settings.pool_min_size, max_size=settings.pool_max_size)
    async with pool.acquire() as conn:
        await migrations.migrate(conn, settings.migrations_dir)
    app[pool_key] = pool
    app[dsn_key] = dsn
    log.info("database.connected")  # never the DSN: it may carry a password
    yield
    await pool.close()
