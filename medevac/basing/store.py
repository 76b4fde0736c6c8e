"""SQL for basing planning: the jobs, and a mission's history of requests (the connection first)."""

import json
import uuid
from datetime import datetime

import asyncpg

from medevac.bounds import finite
from medevac.dispatch.planning.snapshot import equipment_code
from medevac.dispatch.scenario import Casualty
from medevac.basing.history import History, history

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


# The clock starts at the injury: the casualty's, else the request's, else the call (never after it);
# a stored time that is not finite counts as unknown.
INJURED = f"LEAST(coalesce({finite('c.injured_at')}, {finite('r.injured_at')}, r.called_at), r.called_at)"


async def mission_history(conn: asyncpg.Connection, mission_id: uuid.UUID, since: datetime | None = None,
                          until: datetime | None = None) -> History | None:
    """Every casualty of the mission's requests injured in [since, until), cancelled requests aside."""
    rows = await conn.fetch(
        f"""SELECT c.id, c.request_id, {INJURED} AS injured_at, r.called_at, r.pickup_lat, r.pickup_lon,
                   c.precedence, c.patient_type, c.needs, r.security, r.special_equipment
            FROM casualties c JOIN evac_requests r ON r.id = c.request_id
            WHERE r.mission_id = $1 AND r.status <> 'cancelled'
              AND ($2::timestamptz IS NULL OR {INJURED} >= $2) AND ($3::timestamptz IS NULL OR {INJURED} < $3)
            ORDER BY injured_at, c.request_id, c.ordinal""",
        mission_id, since, until)
    return history([Casualty(
        id=str(r["id"]), incident=str(r["request_id"]), injured_at=r["injured_at"], reported_at=r["called_at"],
        location={"lat": r["pickup_lat"], "lon": r["pickup_lon"]}, precedence=r["precedence"],
        patient_type=r["patient_type"], needs=list(r["needs"]), security=r["security"] or "N",
        special_equipment=equipment_code(list(r["special_equipment"]))) for r in rows], since, until)
