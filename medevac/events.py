"""The event outbox: every state change writes one row here in its own transaction."""

import uuid
from typing import Any, Unpack

import asyncpg

from medevac import audit
from medevac.auth import Principal

CHANNEL = "medevac_events"
# Numbering serialises on this lock so sequence numbers commit in order: a reader that has
# seen seq N can never later find a committed N-1 it skipped. Taken in sql/005 at COMMIT.
EVENT_LOCK = 0x6D65_7674  # "mevt"


async def publish(
    conn: asyncpg.Connection,
    *,
    mission_id: uuid.UUID | None,
    type: str,
    entity: str,
    entity_id: object,
    payload: Any,
) -> None:
    """Append an event inside the caller's transaction; at COMMIT it is numbered and notified
    (sql/005: a deferred trigger, so the event lock is held only while the commit happens)."""
    await conn.execute(
        "INSERT INTO events (mission_id, type, entity, entity_id, payload) VALUES ($1, $2, $3, $4, $5)",
        mission_id,
        type,
        entity,
        str(entity_id),
        audit.jsonable(payload),
    )


# The audit row and the event in one statement: a round trip per change fewer (each costs
# both a replica and PostgreSQL a wake-up); the event carries `after`, or for a removal `before`.
_RECORD_CHANGE = f"""
    WITH audited AS ({audit.INSERT_CHANGE})
    INSERT INTO events (mission_id, type, entity, entity_id, payload)
    VALUES ($3, $4, $5, $6, coalesce($8::jsonb, $7::jsonb))"""


async def record_change(conn: asyncpg.Connection, principal: Principal | None, *, event: str,
                        **change: Unpack[audit.Change]) -> None:
    """Audit a change and publish it as an event: the two always travel together.

    A removal has no `after`; its event carries what was removed."""
    await conn.execute(_RECORD_CHANGE, *audit.change_row(principal, event, change))


async def since(
    conn: asyncpg.Connection, after_seq: int, *, mission_id: uuid.UUID | None = None, limit: int = 1000
) -> list[asyncpg.Record]:
    """Events after a sequence number, oldest first; all missions when mission_id is None."""
    return await conn.fetch(
        """SELECT seq, at, mission_id, type, entity, entity_id, payload FROM events
           WHERE seq > $1 AND ($2::uuid IS NULL OR mission_id = $2)
           ORDER BY seq LIMIT $3""",
        after_seq,
        mission_id,
        limit,
    )
