"""Interop rows: a mission's sharing choices, facilities' FHIR endpoints, pre-alert deliveries."""

import uuid

import asyncpg


async def share_names(conn: asyncpg.Connection, mission_id: uuid.UUID) -> bool:
    return bool(await conn.fetchval("SELECT fhir_patient_names FROM mission_interop WHERE mission_id = $1",
                                    mission_id))


async def set_share_names(conn: asyncpg.Connection, mission_id: uuid.UUID, allowed: bool) -> None:
    await conn.execute(
        """INSERT INTO mission_interop (mission_id, fhir_patient_names) VALUES ($1, $2)
           ON CONFLICT (mission_id) DO UPDATE SET fhir_patient_names = $2, updated_at = now(),
               version = mission_interop.version + 1""",
        mission_id, allowed)


async def endpoint(conn: asyncpg.Connection, facility_id: uuid.UUID) -> str | None:
    return await conn.fetchval("SELECT url FROM facility_fhir_endpoints WHERE facility_id = $1", facility_id)


async def endpoint_of_evacuation(conn: asyncpg.Connection, evacuation_id: uuid.UUID) -> str | None:
    return await conn.fetchval(
        """SELECT f.url FROM evacuations e JOIN facility_fhir_endpoints f ON f.facility_id = e.facility_id
           WHERE e.id = $1""", evacuation_id)


async def set_endpoint(conn: asyncpg.Connection, facility_id: uuid.UUID, mission_id: uuid.UUID,
                       url: str | None) -> None:
    if url is None:
        await conn.execute("DELETE FROM facility_fhir_endpoints WHERE facility_id = $1", facility_id)
        return
    await conn.execute(
        """INSERT INTO facility_fhir_endpoints (facility_id, mission_id, url) VALUES ($1, $2, $3)
           ON CONFLICT (facility_id) DO UPDATE SET url = $3, updated_at = now()""",
        facility_id, mission_id, url)


async def claim_push(conn: asyncpg.Connection, evacuation_id: uuid.UUID, mission_id: uuid.UUID,
                     facility_id: uuid.UUID, url: str, version: int) -> bool:
    """True for the one replica that gets to deliver this version of the evacuation to its facility
    (a newer version takes over from an older one still retrying)."""
    return bool(await conn.fetchval(
        """INSERT INTO fhir_pushes (evacuation_id, mission_id, facility_id, url, status, version)
           VALUES ($1, $2, $3, $4, 'pending', $5)
           ON CONFLICT (evacuation_id) DO UPDATE SET url = EXCLUDED.url, status = 'pending', version = EXCLUDED.version,
               attempts = 0, last_error = NULL, last_status = NULL, updated_at = now()
           WHERE fhir_pushes.version < EXCLUDED.version
           RETURNING true""",
        evacuation_id, mission_id, facility_id, url, version))


async def record_attempt(conn: asyncpg.Connection, evacuation_id: uuid.UUID, version: int, *, status: str,
                         http_status: int | None, error: str | None) -> bool:
    """False if a newer version has taken over this delivery (the caller stops)."""
    return bool(await conn.fetchval(
        """UPDATE fhir_pushes SET status = $3, attempts = attempts + 1, last_status = $4, last_error = $5,
               updated_at = now() WHERE evacuation_id = $1 AND version = $2 RETURNING true""",
        evacuation_id, version, status, http_status, error))


PUSH_COLUMNS = "evacuation_id, version, mission_id, facility_id, url, status, attempts, last_error, last_status, updated_at"


async def pushes(conn: asyncpg.Connection, mission_id: uuid.UUID | None, status: str | None,
                 evacuation_id: uuid.UUID | None = None) -> list[dict]:
    rows = await conn.fetch(
        f"""SELECT {PUSH_COLUMNS} FROM fhir_pushes
            WHERE ($1::uuid IS NULL OR mission_id = $1) AND ($2::text IS NULL OR status = $2)
              AND ($3::uuid IS NULL OR evacuation_id = $3)
            ORDER BY updated_at DESC LIMIT 200""",
        mission_id, status, evacuation_id)
    return [dict(r) for r in rows]
