"""Facility rows."""

import uuid
from datetime import datetime, timezone

import asyncpg

from medevac.facilities.model import FIGURES, Facility, FacilityCreate

COLUMNS = """id, mission_id, name, level, lat, lon, capabilities, beds, usable_beds, icu_beds,
    operating_tables, status, helipad, night_landing, refuel, figures_updated_at, created_at, version"""


def facility(row: asyncpg.Record | None) -> Facility | None:
    if row is None:
        return None
    values = dict(row)
    values["location"] = {"lat": values.pop("lat"), "lon": values.pop("lon")}
    return Facility.model_validate(values)


async def create(conn: asyncpg.Connection, mission_id: uuid.UUID, spec: FacilityCreate) -> Facility:
    now = datetime.now(timezone.utc).isoformat()
    row = await conn.fetchrow(
        f"""INSERT INTO facilities (id, mission_id, name, level, lat, lon, capabilities, beds, usable_beds,
                icu_beds, operating_tables, status, helipad, night_landing, refuel, figures_updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            RETURNING {COLUMNS}""",
        spec.id or uuid.uuid4(), mission_id, spec.name, spec.level, spec.location.lat, spec.location.lon,
        list(dict.fromkeys(spec.capabilities)), spec.beds, spec.usable_beds, spec.icu_beds,
        spec.operating_tables, spec.status, spec.helipad, spec.night_landing, spec.refuel,
        {figure: now for figure in FIGURES},
    )
    return facility(row)


async def get(conn: asyncpg.Connection, facility_id: uuid.UUID, *, for_update: bool = False) -> Facility | None:
    lock = " FOR UPDATE" if for_update else ""
    return facility(await conn.fetchrow(f"SELECT {COLUMNS} FROM facilities WHERE id = $1{lock}", facility_id))


async def list_for(
    conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, status: str | None, level: int | None,
    after: uuid.UUID | None, limit: int,
) -> list[Facility]:
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} FROM facilities
            WHERE ($1::uuid IS NULL OR mission_id = $1) AND ($2::text IS NULL OR status = $2)
              AND ($3::int IS NULL OR level = $3) AND ($4::uuid IS NULL OR id > $4)
            ORDER BY id LIMIT $5""",
        mission_id, status, level, after, limit,
    )
    return [facility(r) for r in rows]


async def update(conn: asyncpg.Connection, current: Facility, changes: dict) -> Facility:
    """Apply changed figures and stamp each one that was reported, even if unchanged."""
    now = datetime.now(timezone.utc)
    stamped = {k: v.isoformat() for k, v in current.figures_updated_at.items()}
    stamped |= {figure: now.isoformat() for figure in changes if figure in FIGURES}
    merged = current.model_dump() | changes
    row = await conn.fetchrow(
        f"""UPDATE facilities SET status = $2, beds = $3, usable_beds = $4, icu_beds = $5,
                operating_tables = $6, capabilities = $7, night_landing = $8, figures_updated_at = $9,
                version = version + 1
            WHERE id = $1 RETURNING {COLUMNS}""",
        current.id, merged["status"], merged["beds"], merged["usable_beds"], merged["icu_beds"],
        merged["operating_tables"], list(dict.fromkeys(merged["capabilities"])), merged["night_landing"], stamped,
    )
    return facility(row)
