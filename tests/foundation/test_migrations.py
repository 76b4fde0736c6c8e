"""Migrations apply on an empty database, are a no-op the second time, and refuse a newer database."""

import os
import subprocess
import sys

import asyncpg
import pytest

from medevac.db import migrations
from tests.factories import free_port

SQL_DIR = migrations.packaged()


async def test_migrations_apply_on_an_empty_database_then_are_a_no_op(empty_database_url):
    conn = await asyncpg.connect(empty_database_url)
    try:
        known = [m.version for m in migrations.discover(SQL_DIR)]
        assert await migrations.migrate(conn, SQL_DIR) == known
        assert await migrations.is_current(conn, SQL_DIR)
        tables = {r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")}
        assert {"missions", "facilities", "assets", "users", "tokens", "audit_log", "events"} <= tables
        assert await migrations.migrate(conn, SQL_DIR) == []
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(known)
    finally:
        await conn.close()


async def test_a_database_newer_than_the_code_is_refused(database_url):
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')")
        with pytest.raises(migrations.DatabaseNewerThanCode):
            await migrations.migrate(conn, SQL_DIR)
    finally:
        await conn.close()


async def test_readyz_reports_pending_migrations(aiohttp_client, make_app, tmp_path):
    extra = tmp_path / "sql"
    extra.mkdir()
    for migration in migrations.discover(SQL_DIR):
        (extra / migration.path.name).write_text(migration.path.read_text())
    client = await aiohttp_client(make_app(migrations_dir=extra))
    assert (await client.get("/readyz")).status == 200
    (extra / "999_later.sql").write_text("SELECT 1;")  # deployed code is ahead of the database
    response = await client.get("/readyz")
    assert response.status == 503
    assert (await response.json())["migrations"] == "pending"


async def test_audit_log_is_append_only(db):
    await db.execute("INSERT INTO audit_log (actor, role, action, entity, entity_id) VALUES ('a', 'admin', 'x', 'y', 'z')")
    with pytest.raises(asyncpg.RaiseError):
        await db.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(asyncpg.RaiseError):
        await db.execute("DELETE FROM audit_log")


async def test_finding_no_migrations_is_an_error_not_an_empty_database(empty_database_url, tmp_path):
    conn = await asyncpg.connect(empty_database_url)
    try:
        with pytest.raises(migrations.MigrationError, match="no migrations found"):
            await migrations.migrate(conn, tmp_path)
        with pytest.raises(migrations.MigrationError, match="is missing"):
            await migrations.migrate(conn, tmp_path / "sql")
        assert await migrations.applied_versions(conn) == set()
    finally:
        await conn.close()


async def test_a_database_still_behind_after_migrating_is_an_error(empty_database_url, tmp_path):
    first = migrations.discover(SQL_DIR)[0]
    (tmp_path / first.path.name).write_text(first.path.read_text())
    (tmp_path / "002_forgets_the_first.sql").write_text(f"DELETE FROM schema_migrations WHERE version = {first.version};")
    conn = await asyncpg.connect(empty_database_url)
    try:
        with pytest.raises(migrations.MigrationError, match=rf"still behind.*\[{first.version}\]"):
            await migrations.migrate(conn, tmp_path)
    finally:
        await conn.close()


@pytest.mark.parametrize("command", [["migrate"], ["serve", "--port", str(free_port())]])
def test_the_command_line_fails_loudly_without_migrations(command, database_url, tmp_path):
    env = os.environ | {"MEDEVAC_DATABASE_URL": database_url, "MEDEVAC_MIGRATIONS_DIR": str(tmp_path),
                        "MEDEVAC_LOG_LEVEL": "warning"}
    done = subprocess.run([sys.executable, "-m", "medevac", *command], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"medevac {command[0]}: cannot bring the database up to date: no migrations found" in done.stderr
    assert "Traceback" not in done.stderr
