"""Consult and offer rows."""

import uuid
from datetime import datetime, timedelta

import asyncpg

from medevac.telemed.model import Consult, ConsultCreate, Offer

COLUMNS = """id, mission_id, requested_by, specialty, urgency, language, question, summary, casualty_ref,
    evacuation_request_id, status, specialist_id, ranking, answer_due_at, created_at, first_offer_at,
    broadcast_at, accepted_at, first_specialist_message_at, closed_at, cancelled_at, outcome,
    outcome_note, last_seq, version"""
_ALIASED = ", ".join("c." + name.strip() for name in COLUMNS.split(","))
OFFER_COLUMNS = "id, consult_id, specialist_id, mode, status, offered_at, expires_at, answered_at, decline_reason"
# Columns a transition may set; anything else is a programming error, never SQL.
SETTABLE = frozenset({"status", "specialist_id", "ranking", "first_offer_at", "broadcast_at", "accepted_at",
                      "first_specialist_message_at", "closed_at", "cancelled_at", "outcome", "outcome_note"})


def _consult(row: asyncpg.Record | None) -> Consult | None:
    return None if row is None else Consult.model_validate(dict(row))


async def create(conn: asyncpg.Connection, mission_id: uuid.UUID, requested_by: str, spec: ConsultCreate,
                 now: datetime, answer_within_s: int) -> Consult:
    row = await conn.fetchrow(
        f"""INSERT INTO consults (id, mission_id, requested_by, specialty, urgency, language, question, summary,
                casualty_ref, evacuation_request_id, status, answer_due_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'unmatched', $11, $12) RETURNING {COLUMNS}""",
        spec.id or uuid.uuid4(), mission_id, requested_by, spec.specialty, spec.urgency, spec.language,
        spec.question, spec.summary.model_dump(mode="json"), spec.casualty_ref, spec.evacuation_request_id,
        now + timedelta(seconds=answer_within_s), now)
    return _consult(row)


async def get(conn: asyncpg.Connection, consult_id: uuid.UUID, *, for_update: bool = False,
              skip_locked: bool = False) -> Consult | None:
    lock = " FOR UPDATE" + (" SKIP LOCKED" if skip_locked else "") if for_update else ""
    return _consult(await conn.fetchrow(f"SELECT {COLUMNS} FROM consults WHERE id = $1{lock}", consult_id))


async def update(conn: asyncpg.Connection, consult_id: uuid.UUID, **changes) -> Consult:
    assert changes.keys() <= SETTABLE, changes.keys() - SETTABLE
    names = list(changes)
    sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(names))
    row = await conn.fetchrow(
        f"UPDATE consults SET {sets}, version = version + 1 WHERE id = $1 RETURNING {COLUMNS}",
        consult_id, *[changes[n] for n in names])
    return _consult(row)


async def list_visible(conn: asyncpg.Connection, *, mission_id: uuid.UUID | None, user: str | None,
                       specialist_id: uuid.UUID | None, status: str | None, after: uuid.UUID | None,
                       limit: int) -> list[Consult]:
    """Consults a principal may see: a mission's (admin), a clinician's own, a specialist's offers."""
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} FROM consults c
            WHERE ($1::uuid IS NULL OR mission_id = $1) AND ($2::text IS NULL OR requested_by = $2)
              AND ($3::uuid IS NULL OR specialist_id = $3 OR EXISTS (
                  SELECT 1 FROM consult_offers o WHERE o.consult_id = c.id AND o.specialist_id = $3))
              AND ($4::text IS NULL OR status = $4) AND ($5::uuid IS NULL OR id > $5)
            ORDER BY id LIMIT $6""", mission_id, user, specialist_id, status, after, limit)
    return [_consult(r) for r in rows]


async def offers(conn: asyncpg.Connection, consult_id: uuid.UUID) -> list[Offer]:
    rows = await conn.fetch(
        f"SELECT {OFFER_COLUMNS} FROM consult_offers WHERE consult_id = $1 ORDER BY offered_at, id", consult_id)
    return [Offer.model_validate(dict(r)) for r in rows]


async def add_offer(conn: asyncpg.Connection, consult_id: uuid.UUID, specialist_id: uuid.UUID, mode: str,
                    now: datetime, expires_at: datetime | None) -> Offer:
    row = await conn.fetchrow(
        f"""INSERT INTO consult_offers (id, consult_id, specialist_id, mode, status, offered_at, expires_at)
            VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING {OFFER_COLUMNS}""",
        uuid.uuid4(), consult_id, specialist_id, mode, now, expires_at)
    return Offer.model_validate(dict(row))


async def answer_offers(conn: asyncpg.Connection, consult_id: uuid.UUID, status: str, now: datetime, *,
                        specialist_id: uuid.UUID | None = None, due_by: datetime | None = None,
                        reason: str | None = None) -> list[Offer]:
    """Close open offers (one specialist's, the overdue ones, or all) with a status."""
    rows = await conn.fetch(
        f"""UPDATE consult_offers SET status = $2, answered_at = $3, decline_reason = $6
            WHERE consult_id = $1 AND status = 'open' AND ($4::uuid IS NULL OR specialist_id = $4)
              AND ($5::timestamptz IS NULL OR expires_at <= $5) RETURNING {OFFER_COLUMNS}""",
        consult_id, status, now, specialist_id, due_by, reason)
    return [Offer.model_validate(dict(r)) for r in rows]


async def next_overdue(conn: asyncpg.Connection, now: datetime) -> Consult | None:
    """Lock one consult with an overdue offer; another replica's sweeper skips it."""
    row = await conn.fetchrow(
        f"""SELECT {_ALIASED} FROM consults c JOIN consult_offers o ON o.consult_id = c.id
            WHERE o.status = 'open' AND o.expires_at <= $1 ORDER BY o.expires_at LIMIT 1
            FOR UPDATE OF c SKIP LOCKED""", now)
    return _consult(row)


async def unmatched_ids(conn: asyncpg.Connection, limit: int = 100) -> list[uuid.UUID]:
    rows = await conn.fetch(
        "SELECT id FROM consults WHERE status = 'unmatched' ORDER BY created_at LIMIT $1", limit)
    return [r["id"] for r in rows]
