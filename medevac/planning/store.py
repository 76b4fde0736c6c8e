"""SQL for basing jobs (plain queries, the connection first)."""

import json
import uuid

import asyncpg

COLUMNS = "id, mission_id, status, stage, progress, result, error, created_at, updated_at"


async def create(conn: asyncpg.Connection, mission_id: uuid.UUID, request: dict, user: str) -> asyncpg.Record:
    return await conn.fetchrow(
        f"INSERT INTO basing_jobs (id, mission_id, status, request, created_by) VALUES ($1, $2, 'queued', $3, $4) "
        f"RETURNING {COLUMNS}", uuid.uuid4(), mission_id, json.dumps(request), user)


async def get(conn: asyncpg.Connection, job_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM basing_jobs WHERE id = $1", job_id)


async def exists(conn: asyncpg.Connection, job_id: uuid.UUID) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM basing_jobs WHERE id = $1", job_id))


async def progress(conn: asyncpg.Connection, job_id: uuid.UUID, status: str, stage: str, fraction: float) -> None:
    await conn.execute("UPDATE basing_jobs SET status = $2, stage = $3, progress = $4, updated_at = now() "
                       "WHERE id = $1", job_id, status, stage, min(1.0, max(0.0, fraction)))


async def finish(conn: asyncpg.Connection, job_id: uuid.UUID, result: dict | None, error: str | None) -> None:
    await conn.execute(
        "UPDATE basing_jobs SET status = $2, stage = $2, progress = 1, result = $3, error = $4, updated_at = now() "
        "WHERE id = $1", job_id, "failed" if error else "done", json.dumps(result) if result else None, error)


async def fail_interrupted(conn: asyncpg.Connection) -> None:
    """Jobs that were queued or running when a process stopped will not finish: say so."""
    await conn.execute("UPDATE basing_jobs SET status = 'failed', stage = 'failed', error = 'interrupted' "
                       "WHERE status IN ('queued', 'running') AND updated_at < now() - interval '1 hour'")
