"""Facility rows."""

import uuid
from datetime import datetime, timezone

import asyncpg

from medevac.db.rows import by_id, insert_row, page
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
    # Every other field of the body is a column of the same name.
    same_named = spec.model_dump(exclude={"id", "mission_id", "location", "capabilities"})
    return facility(await insert_row(conn, "facilities", same_named | {
        "id": spec.id or uuid.uuid4(), "mission_id": mission_id, "lat": spec.location.lat,
        "lon": spec.location.lon, "capabilities": list(dict.fromkeys(spec.capabilities)),
        "figures_updated_at": {figure: now for figure in FIGURES},
    }, COLUMNS))


async def get(conn: asyncpg.Connection, facility_id: uuid.UUID, *, for_update: bool = False) -> Facility | None:
    return facility(await by_id(conn, "facilities", COLUMNS, facility_id, for_update=for_update))


async def list_for(conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, status: str | None,
                   level: int | None, after: uuid.UUID | None, limit: int) -> list[Facility]:
    rows = await page(conn, f"SELECT {COLUMNS} FROM facilities",
                      {"mission_id": mission_id, "status": status, "level": level}, after=after, limit=limit)
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
