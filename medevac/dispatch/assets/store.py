"""Asset rows. Status changes are conditional updates: two writers never both win."""

import uuid
from datetime import datetime

import asyncpg

from medevac.db.rows import NOW, by_id, insert_row, page
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
    # Every other field of the body is a column of the same name.
    same_named = spec.model_dump(exclude={"id", "mission_id", "base", "position", "notice_to_move_min"})
    return asset(await insert_row(conn, "assets", same_named | {
        "id": spec.id or uuid.uuid4(), "mission_id": mission_id, "base_lat": spec.base.lat,
        "base_lon": spec.base.lon, "lat": position.lat, "lon": position.lon, "position_at": NOW, "status_at": NOW,
        "notice_to_move_day_min": spec.notice_to_move_min.day,
        "notice_to_move_night_min": spec.notice_to_move_min.night,
    }, COLUMNS))


async def get(conn: asyncpg.Connection, asset_id: uuid.UUID, *, for_update: bool = False) -> Asset | None:
    return asset(await by_id(conn, "assets", COLUMNS, asset_id, for_update=for_update))


async def list_rows(conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, status: str | None,
                    kind: str | None, after: uuid.UUID | None, limit: int) -> list[asyncpg.Record]:
    """Rows for `asset()`, each with its `fingerprint` (xmin: it changes with every write of the row)."""
    return await page(conn, f"SELECT {COLUMNS}, xmin::text AS fingerprint FROM assets",
                      {"mission_id": mission_id, "status": status, "kind": kind}, after=after, limit=limit)


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
