"""9-line request and casualty rows."""

import uuid
from datetime import datetime

import asyncpg

from medevac.db.rows import by_id
from medevac.dispatch.requests.model import EvacRequest, Intake

COLUMNS = """id, mission_id, status, pickup_lat, pickup_lon, pickup_grid, frequency, callsign,
    special_equipment, security, marking, nationality, terrain, called_at, injured_at, source, raw_text,
    nine_line, created_by, created_at, updated_at, version"""
CASUALTY_COLUMNS = """id, request_id, ordinal, precedence, patient_type, needs, mist, injured_at, status,
    evacuation_id, handed_over_at"""


def _request(row: asyncpg.Record, casualties: list[asyncpg.Record]) -> EvacRequest:
    v = dict(row)
    v["pickup"] = {"lat": v.pop("pickup_lat"), "lon": v.pop("pickup_lon")}
    v["grid"] = v.pop("pickup_grid")
    # One validation of plain dicts (pydantic-core): faster than model_construct's Python loop.
    v["casualties"] = [dict(c) for c in casualties]
    return EvacRequest.model_validate(v)


async def create(
    conn: asyncpg.Connection, mission_id: uuid.UUID, intake: Intake, *, source: str, raw_text: str | None,
    created_by: str, called_at: datetime, request_id: uuid.UUID | None = None,
) -> EvacRequest:
    request_id = request_id or uuid.uuid4()
    # Both inserts return what they stored: the request comes back without reading it again.
    row = await conn.fetchrow(
        f"""INSERT INTO evac_requests (id, mission_id, status, pickup_lat, pickup_lon, pickup_grid, frequency,
               callsign, special_equipment, security, marking, nationality, terrain, called_at, injured_at,
               source, raw_text, created_by, nine_line)
           VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
           RETURNING {COLUMNS}""",
        request_id, mission_id, intake.pickup.lat, intake.pickup.lon, intake.grid, intake.frequency,
        intake.callsign, list(intake.special_equipment), intake.security, intake.marking, intake.nationality,
        intake.terrain, called_at, intake.injured_at, source, raw_text, created_by, intake.nine_line,
    )
    values = [(uuid.uuid4(), request_id, mission_id, i + 1, c.precedence, c.patient_type, c.needs, c.mist,
               c.injured_at or intake.injured_at) for i, c in enumerate(intake.casualties)]
    width = len(values[0]) if values else 0
    rows = ", ".join("(" + ", ".join(f"${n * width + k + 1}" for k in range(width)) + ", 'waiting')"
                     for n in range(len(values)))
    casualties = await conn.fetch(
        f"""INSERT INTO casualties (id, request_id, mission_id, ordinal, precedence, patient_type, needs, mist,
               injured_at, status)
           VALUES {rows} RETURNING {CASUALTY_COLUMNS}""",
        *(v for row_values in values for v in row_values),
    ) if values else []
    return _request(row, sorted(casualties, key=lambda c: c["ordinal"]))


async def get(conn: asyncpg.Connection, request_id: uuid.UUID, *, for_update: bool = False) -> EvacRequest | None:
    row = await by_id(conn, "evac_requests", COLUMNS, request_id, for_update=for_update)
    if row is None:
        return None
    casualties = await conn.fetch(
        f"SELECT {CASUALTY_COLUMNS} FROM casualties WHERE request_id = $1 ORDER BY ordinal", request_id)
    return _request(row, casualties)


async def list_for(
    conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, status: str | None, after: uuid.UUID | None,
    limit: int,
) -> list[EvacRequest]:
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} FROM evac_requests WHERE {PAGE_FILTER} ORDER BY id LIMIT $4""",
        mission_id, status, after, limit,
    )
    return await _with_casualties(conn, rows)


async def get_many(conn: asyncpg.Connection, ids: list[uuid.UUID]) -> list[EvacRequest]:
    """The requests with these ids (those that exist), in id order."""
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM evac_requests WHERE id = ANY($1) ORDER BY id", ids)
    return await _with_casualties(conn, rows)


async def page_versions(
    conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, status: str | None, after: uuid.UUID | None,
    limit: int,
) -> list[tuple[uuid.UUID, str]]:
    """A page's request ids, each with a fingerprint that changes whenever the request or one of its
    casualties is written (the rows' xmin: every UPDATE writes a new row version)."""
    rows = await conn.fetch(
        f"""SELECT r.id, r.xmin::text || ':' || coalesce((SELECT string_agg(c.xmin::text, ',' ORDER BY c.ordinal)
                   FROM casualties c WHERE c.request_id = r.id), '') AS fingerprint
            FROM evac_requests r WHERE {PAGE_FILTER} ORDER BY id LIMIT $4""",
        mission_id, status, after, limit,
    )
    return [(r["id"], r["fingerprint"]) for r in rows]


PAGE_FILTER = """($1::uuid IS NULL OR mission_id = $1) AND ($2::text IS NULL OR status = $2)
    AND ($3::uuid IS NULL OR id > $3)"""


async def _with_casualties(conn: asyncpg.Connection, rows: list[asyncpg.Record]) -> list[EvacRequest]:
    casualties = await conn.fetch(
        f"SELECT {CASUALTY_COLUMNS} FROM casualties WHERE request_id = ANY($1) ORDER BY request_id, ordinal",
        [r["id"] for r in rows])
    by_request: dict[uuid.UUID, list] = {}
    for c in casualties:
        by_request.setdefault(c["request_id"], []).append(c)
    return [_request(r, by_request.get(r["id"], [])) for r in rows]


async def update_lines(conn: asyncpg.Connection, current: EvacRequest, intake: Intake) -> EvacRequest:
    """Apply the re-parsed 9-line (lines 6-9, MIST-AT, injury time); the version moves on."""
    await conn.execute(
        """UPDATE evac_requests SET security = $2, marking = $3, nationality = $4, terrain = $5,
               injured_at = $6, nine_line = $7, updated_at = now(), version = version + 1
           WHERE id = $1""",
        current.id, intake.security, intake.marking, intake.nationality, intake.terrain, intake.injured_at,
        intake.nine_line,
    )
    for ordinal, casualty in enumerate(intake.casualties, start=1):
        await conn.execute(
            "UPDATE casualties SET mist = $3, injured_at = $4 WHERE request_id = $1 AND ordinal = $2",
            current.id, ordinal, casualty.mist, casualty.injured_at or intake.injured_at)
    return await get(conn, current.id)


async def mission_area(conn: asyncpg.Connection, mission_id: uuid.UUID) -> list[tuple[float, float]]:
    """The places the mission works from (its Level I-III facilities and asset bases): they place a
    grid sent without its zone. Level IV is outside the mission area by definition."""
    rows = await conn.fetch(
        """SELECT lat, lon FROM facilities WHERE mission_id = $1 AND level < 4
           UNION SELECT base_lat, base_lon FROM assets WHERE mission_id = $1""", mission_id)
    return [(r["lat"], r["lon"]) for r in rows]


async def set_status(conn: asyncpg.Connection, request_id: uuid.UUID, status: str) -> None:
    await conn.execute(
        "UPDATE evac_requests SET status = $2, updated_at = now(), version = version + 1 WHERE id = $1",
        request_id, status)


async def refresh_status(conn: asyncpg.Connection, request_id: uuid.UUID) -> str:
    """Derive the request's status from its casualties: open while anyone still waits."""
    return await conn.fetchval(
        """UPDATE evac_requests r SET status = s.status, updated_at = now(), version = version + 1
           FROM (SELECT CASE WHEN bool_or(c.status = 'waiting') THEN 'open'
                             WHEN bool_and(c.status = 'handed_over') THEN 'handed_over'
                             ELSE 'tasked' END AS status
                 FROM casualties c WHERE c.request_id = $1) s
           WHERE r.id = $1 AND r.status <> 'cancelled'
           RETURNING r.status""",
        request_id)
