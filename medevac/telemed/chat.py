"""Chat, read receipts and signalling rows of one consult.

The outbox event that announces each carries only the consult id and a sequence number
or row id: every mission member may read the outbox, only the two parties read these rows.
"""

import uuid
from datetime import datetime

import asyncpg

from medevac.events import publish

MESSAGE_COLUMNS = "seq, client_id, sender, sender_role, text, attachment_id, sent_at"


def wire(row: asyncpg.Record) -> dict:
    """A message as the websocket and the REST history send it."""
    return {"type": "message", "seq": row["seq"], "client_id": row["client_id"], "from": row["sender_role"],
            "sender": row["sender"], "text": row["text"],
            "attachment_id": row["attachment_id"] and str(row["attachment_id"]),
            "sent_at": row["sent_at"].isoformat()}


async def post(conn: asyncpg.Connection, mission_id: uuid.UUID, consult_id: uuid.UUID, *, client_id: str,
               sender: str, party: str, text: str, attachment_id: uuid.UUID | None,
               now: datetime) -> tuple[dict, bool]:
    """Store a message once per sender and client id; returns it and whether it is new (a retry is not)."""
    consult = await conn.fetchrow(
        "SELECT last_seq, first_specialist_message_at FROM consults WHERE id = $1 FOR UPDATE", consult_id)
    existing = await conn.fetchrow(
        f"SELECT {MESSAGE_COLUMNS} FROM consult_messages WHERE consult_id = $1 AND sender = $2 AND client_id = $3",
        consult_id, sender, client_id)
    if existing is not None:
        return wire(existing), False
    seq = consult["last_seq"] + 1  # the row lock makes this gapless and ordered
    first = party == "specialist" and consult["first_specialist_message_at"] is None
    # The message, the consult's counter and the event in one statement: two round trips fewer.
    row = await conn.fetchrow(
        f"""WITH counted AS (
                UPDATE consults SET last_seq = $2,
                    first_specialist_message_at = CASE WHEN $9 THEN $8 ELSE first_specialist_message_at END
                WHERE id = $1),
            announced AS (
                INSERT INTO events (mission_id, type, entity, entity_id, payload)
                VALUES ($10, 'consult.message_posted', 'consult', $1::text, jsonb_build_object('seq', $2::int)))
            INSERT INTO consult_messages (consult_id, seq, client_id, sender, sender_role, text, attachment_id,
                sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {MESSAGE_COLUMNS}""",
        consult_id, seq, client_id, sender, party, text, attachment_id, now, first, mission_id)
    return wire(row), True


async def since(conn: asyncpg.Connection, consult_id: uuid.UUID, after: int, limit: int = 500) -> list[dict]:
    rows = await conn.fetch(
        f"""SELECT {MESSAGE_COLUMNS} FROM consult_messages WHERE consult_id = $1 AND seq > $2
            ORDER BY seq LIMIT $3""", consult_id, after, limit)
    return [wire(r) for r in rows]


async def mark_read(conn: asyncpg.Connection, mission_id: uuid.UUID, consult_id: uuid.UUID, party: str,
                    seq: int) -> int:
    """Move a party's read mark forward (never back) and announce it."""
    read = await conn.fetchval(
        """INSERT INTO consult_reads (consult_id, party, read_seq) VALUES ($1, $2, $3)
           ON CONFLICT (consult_id, party) DO UPDATE
               SET read_seq = GREATEST(consult_reads.read_seq, $3), read_at = now()
           RETURNING read_seq""", consult_id, party, seq)
    await publish(conn, mission_id=mission_id, type="consult.read", entity="consult", entity_id=consult_id,
                  payload={"party": party, "seq": read})
    return read


async def reads(conn: asyncpg.Connection, consult_id: uuid.UUID) -> dict[str, int]:
    rows = await conn.fetch("SELECT party, read_seq FROM consult_reads WHERE consult_id = $1", consult_id)
    return {r["party"]: r["read_seq"] for r in rows}


async def add_signal(conn: asyncpg.Connection, mission_id: uuid.UUID, consult_id: uuid.UUID, to_party: str,
                     body: dict) -> int:
    signal_id = await conn.fetchval(
        "INSERT INTO consult_signals (consult_id, to_party, body) VALUES ($1, $2, $3) RETURNING id",
        consult_id, to_party, body)
    await publish(conn, mission_id=mission_id, type="consult.signalled", entity="consult", entity_id=consult_id,
                  payload={"signal_id": signal_id, "to": to_party})
    return signal_id


async def signal(conn: asyncpg.Connection, consult_id: uuid.UUID, signal_id: int, to_party: str) -> dict | None:
    return await conn.fetchval(
        "SELECT body FROM consult_signals WHERE id = $1 AND consult_id = $2 AND to_party = $3",
        signal_id, consult_id, to_party)


async def prune_signals(conn: asyncpg.Connection, before: datetime) -> None:
    await conn.execute("DELETE FROM consult_signals WHERE created_at < $1", before)
