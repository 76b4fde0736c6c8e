"""Read what an evacuation's Bundle needs from the database (the shell around the pure builders)."""

import uuid

import asyncpg

from medevac.dispatch.assets import store as assets
from medevac.dispatch.evacuations import store as evacuations
from medevac.dispatch.requests import store as requests
from medevac.facilities import store as facilities
from medevac.interop import store
from medevac.interop.fhir.resources import Sources


async def history(conn: asyncpg.Connection, evacuation_id: uuid.UUID) -> list[dict]:
    rows = await conn.fetch(
        """SELECT id, at, actor, role, action FROM audit_log
           WHERE entity = 'evacuation' AND entity_id = $1 AND action LIKE 'evacuation.%' ORDER BY id""",
        str(evacuation_id))
    return [dict(r) for r in rows]


async def sources(conn: asyncpg.Connection, evacuation_id: uuid.UUID, *, details: bool) -> Sources | None:
    evacuation = await evacuations.get(conn, evacuation_id)
    if evacuation is None:
        return None
    return Sources(
        evacuation=evacuation, request=await requests.get(conn, evacuation.request_id),
        facility=await facilities.get(conn, evacuation.facility_id), asset=await assets.get(conn, evacuation.asset_id),
        history=await history(conn, evacuation_id), names=await store.share_names(conn, evacuation.mission_id),
        details=details)
