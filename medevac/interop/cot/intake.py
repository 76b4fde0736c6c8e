"""A 9-line from a TAK device into the service: the same intake as the radio text, keyed by the CoT uid."""

import uuid

import asyncpg

from medevac.auth import Principal
from medevac.dispatch.requests.submit import submit
from medevac.interop.cot.inbound import NineLineEvent

NO_TOKEN = uuid.UUID(int=0)


def principal(mission_id: uuid.UUID, callsign: str | None, peer: str) -> Principal:
    """Who the audit log names for a 9-line sent from a TAK device: the device's call sign (or address)."""
    return Principal(user=f"cot:{callsign or peer}"[:120], role="field", mission_id=mission_id, token_id=NO_TOKEN)


async def take(pool: asyncpg.Pool, mission_id: uuid.UUID, event: NineLineEvent, raw: bytes, peer: str) -> bool:
    """Store the 9-line once per (mission, uid): True if new, False for a resend. A resend racing the
    first copy waits on the unique index and then finds it."""
    try:
        async with pool.acquire() as conn, conn.transaction():
            if await conn.fetchval("SELECT 1 FROM evac_requests WHERE mission_id = $1 AND cot_uid = $2",
                                   mission_id, event.uid):
                return False
            created = await submit(conn, principal(mission_id, event.callsign, peer), mission_id, event.nine_line,
                                   injured_at=None, source="cot", raw_text=raw.decode("utf-8", "replace"))
            await conn.execute("UPDATE evac_requests SET cot_uid = $2 WHERE id = $1", created.id, event.uid)
            return True
    except asyncpg.UniqueViolationError:
        return False
