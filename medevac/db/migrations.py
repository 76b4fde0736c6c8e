"""Numbered plain-SQL migrations, each in its own transaction, under an advisory lock.

They ship inside the package (`medevac/sql/`) and are read with importlib.resources, so an
installed wheel migrates exactly like a checkout.
"""

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import asyncpg
import structlog

log = structlog.get_logger(__name__)

MIGRATION_LOCK = 0x6D65_6476  # "medv": one migrator at a time across replicas
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Traversable


class MigrationError(RuntimeError):
    """The database cannot be brought to the schema this code needs: the service must not start."""


class DatabaseNewerThanCode(MigrationError):
    """The database has migrations this code does not know: refuse to run against it."""


def packaged() -> Traversable:
    """The migrations shipped in the package."""
    return resources.files("medevac") / "sql"


def discover(directory: Traversable | None = None) -> list[Migration]:
    """The migrations in `directory` (default: the packaged ones) in order; none at all is an error,
    so an install that lost its SQL files fails at once instead of serving an empty database."""
    directory = directory or packaged()
    if not directory.is_dir():
        raise MigrationError(f"no migrations found: {directory} is missing (the medevac install is incomplete)")
    found = []
    for path in sorted((p for p in directory.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file name must be NNN_name.sql: {path.name}")
        found.append(Migration(int(match[1]), match[2], path))
    if not found:
        raise MigrationError(f"no migrations found: {directory} holds no NNN_name.sql file "
                             "(the medevac install is incomplete)")
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration numbers in {directory}")
    return found


async def applied_versions(conn: asyncpg.Connection) -> set[int]:
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return set()
    return {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}


async def migrate(conn: asyncpg.Connection, directory: Traversable | None = None) -> list[int]:
    """Apply every pending migration and check that none is left; return the versions applied now."""
    migrations = discover(directory)
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version integer PRIMARY KEY,
                   name text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        done = await applied_versions(conn)
        latest = max((m.version for m in migrations), default=0)
        if done and max(done) > latest:
            raise DatabaseNewerThanCode(f"database is at migration {max(done)}, this code knows {latest}")
        applied = []
        for migration in migrations:
            if migration.version in done:
                continue
            async with conn.transaction():
                await conn.execute(migration.path.read_text())
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    migration.version,
                    migration.name,
                )
            log.info("database.migrated", version=migration.version, name=migration.name)
            applied.append(migration.version)
        missing = {m.version for m in migrations} - await applied_versions(conn)
        if missing:
            raise MigrationError(f"the database is still behind after migrating: "
                                 f"migration(s) {sorted(missing)} not recorded in schema_migrations")
        return applied
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)


async def is_current(conn: asyncpg.Connection, directory: Traversable | None = None) -> bool:
    """True when every migration the code knows is applied."""
    known = {m.version for m in discover(directory)}
    return known <= await applied_versions(conn)
