"""Mission rows."""

import json
import uuid

import asyncpg

from medevac.db.rows import by_id, page
from medevac.missions.model import Mission, MissionCreate

COLUMNS = "id, name, time_zone, time_standards, approval, max_patients_per_request, created_at, updated_at, version"


def _mission(row: asyncpg.Record | None) -> Mission | None:
    return None if row is None else Mission.model_validate(dict(row))


async def create(conn: asyncpg.Connection, spec: MissionCreate) -> Mission:
    row = await conn.fetchrow(
        f"""INSERT INTO missions (id, name, time_zone, time_standards, approval, max_patients_per_request)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}""",
        spec.id or uuid.uuid4(), spec.name, spec.time_zone,
        spec.time_standards.model_dump(), spec.approval, spec.max_patients_per_request,
    )
    return _mission(row)


async def get(conn: asyncpg.Connection, mission_id: uuid.UUID, *, for_update: bool = False) -> Mission | None:
    return _mission(await by_id(conn, "missions", COLUMNS, mission_id, for_update=for_update))


async def list_visible(
    conn: asyncpg.Connection, only: uuid.UUID | None, after: uuid.UUID | None, limit: int
) -> list[Mission]:
    rows = await page(conn, f"SELECT {COLUMNS} FROM missions", {"id": only}, after=after, limit=limit)
    return [_mission(r) for r in rows]


async def update(conn: asyncpg.Connection, mission: Mission, changes: dict) -> Mission:
    merged = mission.model_dump() | changes
    row = await conn.fetchrow(
        f"""UPDATE missions SET name = $2, time_zone = $3, time_standards = $4, approval = $5,
                max_patients_per_request = $6, updated_at = now(), version = version + 1
            WHERE id = $1 RETURNING {COLUMNS}""",
        mission.id, merged["name"], merged["time_zone"],
        json.loads(json.dumps(merged["time_standards"])), merged["approval"], merged["max_patients_per_request"],
    )
    return _mission(row)
