"""Asset rows. Status changes are conditional updates: two writers never both win."""

import uuid
from datetime import datetime

import asyncpg

from medevac.dispatch.assets.model import Asset, AssetCreate

COLUMNS = """id, mission_id, callsign, kind, role, model, base_lat, base_lon, lat, lon, position_at,
    cruise_kmh, range_km, litters, seats, night_capable, hoist, armed, notice_to_move_day_min,
    notice_to_move_night_min, status, status_at, created_at, version"""


def asset(row: asyncpg.Record | None) -> Asset | None:
    if row is None:
        return None
    v = dict(row)
    v.pop("fingerprint", None)
    v["base"] = {"lat": v.pop("base_lat"), "lon": v.pop("base_lon")}
    v["position"] = {"lat": v.pop("lat"), "lon": v.pop("lon"), "at": v.pop("position_at")}
    v["notice_to_move_min"] = {"day": v.pop("notice_to_move_day_min"), "night": v.pop("notice_to_move_night_min")}
    return Asset.model_validate(v)


async def create(conn: asyncpg.Connection, mission_id: uuid.UUID, spec: AssetCreate) -> Asset:
    position = spec.position or spec.base
    row = await conn.fetchrow(
        f"""INSERT INTO assets (id, mission_id, callsign, kind, role, model, base_lat, base_lon, lat, lon,
                position_at, cruise_kmh, range_km, litters, seats, night_capable, hoist, armed,
                notice_to_move_day_min, notice_to_move_night_min, status, status_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11, $12, $13, $14, $15, $16, $17,
                    $18, $19, $20, now())
            RETURNING {COLUMNS}""",
        spec.id or uuid.uuid4(), mission_id, spec.callsign, spec.kind, spec.role, spec.model,
        spec.base.lat, spec.base.lon, position.lat, position.lon, spec.cruise_kmh, spec.range_km,
        spec.litters, spec.seats, spec.night_capable, spec.hoist, spec.armed,
        spec.notice_to_move_min.day, spec.notice_to_move_min.night, spec.status,
    )
    return asset(row)


async def get(conn: asyncpg.Connection, asset_id: uuid.UUID, *, for_update: bool = False) -> Asset | None:
    lock = " FOR UPDATE" if for_update else ""
    return asset(await conn.fetchrow(f"SELECT {COLUMNS} FROM assets WHERE id = $1{lock}", asset_id))


async def list_rows(
    conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, status: str | None, kind: str | None,
    after: uuid.UUID | None, limit: int,
) -> list[asyncpg.Record]:
    """Rows for `asset()`, each with its `fingerprint` (xmin: it changes with every write of the row)."""
    return await conn.fetch(
        f"""SELECT {COLUMNS}, xmin::text AS fingerprint FROM assets
            WHERE ($1::uuid IS NULL OR mission_id = $1) AND ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR kind = $3) AND ($4::uuid IS NULL OR id > $4)
            ORDER BY id LIMIT $5""",
        mission_id, status, kind, after, limit,
    )


async def update_if_version(
    conn: asyncpg.Connection, asset_id: uuid.UUID, version: int, *,
    status: str | None, position: tuple[float, float, datetime] | None,
) -> Asset | None:
    """Change status and/or position only if nobody else changed the asset since `version`."""
    lat, lon, at = position if position else (None, None, None)
    row = await conn.fetchrow(
        f"""UPDATE assets SET
                status = coalesce($3, status),
                status_at = CASE WHEN $3::text IS NOT NULL AND $3 <> status THEN now() ELSE status_at END,
                lat = coalesce($4, lat), lon = coalesce($5, lon), position_at = coalesce($6, position_at),
                version = version + 1
            WHERE id = $1 AND version = $2 RETURNING {COLUMNS}""",
        asset_id, version, status, lat, lon, at,
    )
    return asset(row)
