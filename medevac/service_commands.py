"""`medevac serve`, `medevac migrate` and `medevac token …`."""

import argparse
import asyncio
import gc
import uuid
from datetime import timedelta

import asyncpg
import structlog
from aiohttp import web

from medevac import audit, auth
from medevac.config import Settings
from medevac.db import embedded, migrations
from medevac.db.pool import create_pool
from medevac.observability import configure_logging

log = structlog.get_logger(__name__)
MAX_TTL_DAYS = 3650


def ttl_days(text: str) -> int:
    """A token lifetime: a whole number of days a token can live (0 would be dead on arrival)."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= days <= MAX_TTL_DAYS:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_TTL_DAYS} days, not {days}")
    return days


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--demo", action="store_true", help="seed a demo mission if the database is empty")
    serve.set_defaults(func=run_serve)

    migrate = subparsers.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(func=lambda args: asyncio.run(_migrate()))

    token = subparsers.add_parser("token", help="manage bearer tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token and print it")
    create.add_argument("--user", required=True)
    create.add_argument("--role", required=True, choices=auth.ROLES)
    create.add_argument("--mission", type=uuid.UUID, help="mission id (admin/observer may omit)")
    create.add_argument("--ttl-days", type=ttl_days, help=f"lifetime in days, 1 to {MAX_TTL_DAYS}")
    create.add_argument("--right", action="append", default=[], choices=auth.RIGHTS, dest="rights",
                        help="a right beyond the role (repeatable); planning: an observer may start basing plans; "
                             "facilities: report for any facility")
    create.add_argument("--facility", type=uuid.UUID, help="the facility the holder works at (clinicians)")
    create.set_defaults(func=lambda args: asyncio.run(_token_create(args)))
    revoke = token_sub.add_parser("revoke", help="revoke every token of a user")
    revoke.add_argument("--user", required=True)
    revoke.set_defaults(func=lambda args: asyncio.run(_token_revoke(args)))


async def _connect(settings: Settings) -> tuple[asyncpg.Pool, list[int]]:
    """A small pool on a migrated database, and the migrations applied now."""
    dsn = settings.dsn() or await embedded.start_async(settings.data_dir)
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            applied = await migrations.migrate(conn, settings.migrations_dir)
    except BaseException:
        await pool.close()
        raise
    return pool, applied


async def _migrate() -> int:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    pool, applied = await _connect(settings)
    await pool.close()
    latest = migrations.discover(settings.migrations_dir)[-1]
    done = f"applied {', '.join(f'{v:03d}' for v in applied)}" if applied else "nothing to apply"
    print(f"medevac migrate: {done}; the database is at {latest.version:03d}_{latest.name}")
    return 0


async def _token_create(args: argparse.Namespace) -> int:
    settings = Settings()
    configure_logging(settings.log_format, "warning")
    pool, _ = await _connect(settings)
    try:
        async with pool.acquire() as conn, conn.transaction():
            ttl = timedelta(days=settings.token_ttl_days if args.ttl_days is None else args.ttl_days)
            secret = await auth.create_token(conn, user=args.user, role=args.role, mission_id=args.mission,
                                             ttl=ttl, rights=tuple(args.rights), facility_id=args.facility)
            await audit.record(conn, None, action="token.created", entity="user", entity_id=args.user,
                               mission_id=args.mission, after={"role": args.role, "rights": sorted(args.rights),
                                                               "ttl_days": ttl.days})
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    finally:
        await pool.close()
    print(secret)
    return 0


async def _token_revoke(args: argparse.Namespace) -> int:
    settings = Settings()
    pool, _ = await _connect(settings)
    async with pool.acquire() as conn, conn.transaction():
        done = await auth.revoke(conn, args.user)
        await audit.record(conn, None, action="token.revoked", entity="user", entity_id=args.user,
                           mission_id=None, after={"result": done})
    await pool.close()
    print(done)
    return 0


def new_event_loop(kind: str) -> asyncio.AbstractEventLoop:
    """uvloop by default: under load most of a replica's time went to socket writes and reads
    (to consoles and to PostgreSQL) in the standard loop's Python transports."""
    if kind == "uvloop":
        import uvloop

        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


async def freeze_startup_heap(_app: web.Application) -> None:
    """What start-up built (modules, OR-Tools and pydantic schemas, the pool) lives as long as
    the process. Frozen, a full collection no longer walks it: under the load bench a replica's
    full collections paused it 170–260 ms every 10–20 s, and 20–80 ms once frozen."""
    gc.collect()
    gc.freeze()
    log.info("service.heap_frozen", objects=gc.get_freeze_count())


def run_serve(args: argparse.Namespace) -> int:
    from medevac.app import create_app

    overrides = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None}
    settings = Settings(**overrides)
    secrets = [s.get_secret_value() for s in (settings.turn_secret, settings.database_url) if s is not None]
    configure_logging(settings.log_format, settings.log_level, secrets)
    app = create_app(settings)
    if args.demo:
        from medevac.demo import demo_ctx

        app.cleanup_ctx.append(demo_ctx)
    app.on_startup.append(freeze_startup_heap)  # last: after every other start-up step
    # SIGTERM: stop listening (new work is refused), end SSE streams and websockets with a
    # reconnect hint, give in-flight requests the grace period, then clean up and exit 0.
    # keepalive_timeout also bounds a connection that never completes its request head: aiohttp
    # closes a connection that has waited this long for one (slow headers, idle keep-alive).
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None,
                shutdown_timeout=settings.shutdown_grace_s, loop=new_event_loop(settings.event_loop),
                keepalive_timeout=settings.keepalive_timeout_s)
    return 0
