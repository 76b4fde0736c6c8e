"""Specialist, roster and presence rows."""

import uuid
from datetime import datetime

import asyncpg

from medevac.bounds import usable
from medevac.telemed.matcher import Candidate, Shift
from medevac.telemed.model import Specialist, SpecialistCreate, Window, WindowCreate

PRESENCE_TTL_S = 60  # a connection not seen for this long (its replica died) counts as gone
COLUMNS = """s.id, s.mission_id, s.user_id, s.name, s.specialty, s.facility_id, s.languages,
    s.serves_missions, s.load_limit, s.version,
    (SELECT count(*) FROM consults c WHERE c.specialist_id = s.id AND c.status = 'accepted')::int AS load,
    EXISTS (SELECT 1 FROM specialist_presence p WHERE p.specialist_id = s.id
            AND p.seen_at > now() - make_interval(secs => {ttl})) AS online""".format(ttl=PRESENCE_TTL_S)


async def _windows(conn: asyncpg.Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Window]]:
    rows = await conn.fetch(
        """SELECT id, specialist_id, kind, starts_at, ends_at, note FROM specialist_windows
           WHERE specialist_id = ANY($1) ORDER BY starts_at""", ids)
    out: dict[uuid.UUID, list[Window]] = {i: [] for i in ids}
    for r in rows:
        out[r["specialist_id"]].append(Window.model_validate(dict(r)))
    return out


async def _with_windows(conn: asyncpg.Connection, rows: list[asyncpg.Record]) -> list[Specialist]:
    windows = await _windows(conn, [r["id"] for r in rows])
    return [Specialist.model_validate(dict(r) | {"windows": windows[r["id"]]}) for r in rows]


async def create(conn: asyncpg.Connection, mission_id: uuid.UUID, spec: SpecialistCreate) -> Specialist:
    specialist_id = spec.id or uuid.uuid4()
    await conn.execute("INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING", spec.user_id)
    await conn.execute(
        """INSERT INTO specialists (id, mission_id, user_id, name, specialty, facility_id, languages,
               serves_missions, load_limit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        specialist_id, mission_id, spec.user_id, spec.name, spec.specialty, spec.facility_id,
        spec.languages, spec.serves_missions, spec.load_limit)
    for window in spec.windows:
        await add_window(conn, specialist_id, window)
    return await get(conn, specialist_id)


async def get(conn: asyncpg.Connection, specialist_id: uuid.UUID, *, for_update: bool = False) -> Specialist | None:
    if for_update:
        await conn.execute("SELECT 1 FROM specialists WHERE id = $1 FOR UPDATE", specialist_id)
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM specialists s WHERE s.id = $1", specialist_id)
    return None if row is None else (await _with_windows(conn, [row]))[0]


async def for_user(conn: asyncpg.Connection, user_id: str) -> Specialist | None:
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM specialists s WHERE s.user_id = $1", user_id)
    return None if row is None else (await _with_windows(conn, [row]))[0]


async def list_for(conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, specialty: str | None,
                   after: uuid.UUID | None, limit: int) -> list[Specialist]:
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} FROM specialists s
            WHERE ($1::uuid IS NULL OR s.mission_id = $1 OR $1 = ANY(s.serves_missions))
              AND ($2::text IS NULL OR s.specialty = $2) AND ($3::uuid IS NULL OR s.id > $3)
            ORDER BY s.id LIMIT $4""", mission_id, specialty, after, limit)
    return await _with_windows(conn, list(rows))


async def update(conn: asyncpg.Connection, current: Specialist, changes: dict) -> Specialist:
    merged = current.model_dump() | changes
    await conn.execute(
        """UPDATE specialists SET name = $2, languages = $3, serves_missions = $4, load_limit = $5,
               version = version + 1 WHERE id = $1""",
        current.id, merged["name"], merged["languages"], merged["serves_missions"], merged["load_limit"])
    return await get(conn, current.id)


async def add_window(conn: asyncpg.Connection, specialist_id: uuid.UUID, window: WindowCreate) -> Window:
    row = await conn.fetchrow(
        """INSERT INTO specialist_windows (id, specialist_id, kind, starts_at, ends_at, note)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, kind, starts_at, ends_at, note""",
        uuid.uuid4(), specialist_id, window.kind, window.starts_at, window.ends_at, window.note)
    return Window.model_validate(dict(row))


async def delete_window(conn: asyncpg.Connection, specialist_id: uuid.UUID, window_id: uuid.UUID) -> bool:
    done = await conn.execute("DELETE FROM specialist_windows WHERE id = $1 AND specialist_id = $2",
                              window_id, specialist_id)
    return done.endswith(" 1")


async def candidates(conn: asyncpg.Connection, mission_id: uuid.UUID, specialty: str,
                     now: datetime) -> list[Candidate]:
    """Everyone of the specialty who answers for the mission, as the matcher's input."""
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} FROM specialists s
            WHERE s.specialty = $2 AND (s.mission_id = $1 OR $1 = ANY(s.serves_missions))""",
        mission_id, specialty)
    found = await _with_windows(conn, list(rows))
    # A stored window the clock cannot compare with (year 0001 comes back as a zoneless -infinity)
    # counts as no window: that shift is lost, never the whole specialty's consults.
    return [Candidate(
        id=s.id, mission_id=s.mission_id, specialty=s.specialty, languages=tuple(s.languages),
        load=s.load, load_limit=s.load_limit, online=s.online,
        shifts=tuple(Shift(w.kind, w.starts_at, w.ends_at) for w in s.windows
                     if usable(w.starts_at) and usable(w.ends_at) and w.ends_at > now),
        serves_missions=tuple(s.serves_missions)) for s in found]


async def connected(conn: asyncpg.Connection, specialist_id: uuid.UUID, connection_id: uuid.UUID) -> None:
    await conn.execute(
        """INSERT INTO specialist_presence (connection_id, specialist_id) VALUES ($1, $2)
           ON CONFLICT (connection_id) DO UPDATE SET seen_at = now()""", connection_id, specialist_id)


async def disconnected(conn: asyncpg.Connection, connection_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM specialist_presence WHERE connection_id = $1", connection_id)
