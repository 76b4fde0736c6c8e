"""How a consult ends: cancelled by the requester, or closed with an outcome.

"Evacuation recommended" leaves a draft evacuation request behind. The 9-line request
table needs a pickup site the specialist does not know, so the draft lives in
`consult_evacuation_drafts`, linked to the consult, until a dispatcher completes it.
"""

import uuid
from datetime import datetime

import asyncpg

from medevac import scope
from medevac.auth import Principal
from medevac.errors import invalid
from medevac.events import record_change
from medevac.telemed import consults
from medevac.telemed.broker import Broker
from medevac.telemed.model import CloseBody, Consult


async def link_exists(conn: asyncpg.Connection, mission_id: uuid.UUID, request_id: uuid.UUID) -> bool:
    """Whether an evacuation request exists in the mission (true while its table is not yet there)."""
    if await conn.fetchval("SELECT to_regclass('public.evac_requests')") is None:
        return True
    return await conn.fetchval("SELECT EXISTS (SELECT 1 FROM evac_requests WHERE id = $1 AND mission_id = $2)",
                               request_id, mission_id)


async def draft_for(conn: asyncpg.Connection, consult_id: uuid.UUID) -> uuid.UUID | None:
    return await conn.fetchval("SELECT id FROM consult_evacuation_drafts WHERE consult_id = $1", consult_id)


async def cancel(broker: Broker, conn: asyncpg.Connection, consult: Consult, now: datetime,
                 reason: str | None, principal: Principal) -> Consult:
    abandoned = consult.status != "accepted"
    updated = await broker.transition(conn, consult, "cancel", now, principal, "consult.cancelled",
                                 {"abandoned": abandoned}, outcome_note=reason)
    await consults.answer_offers(conn, consult.id, "withdrawn", now)
    if abandoned:
        broker.metrics.abandoned.labels(*broker.labels(consult)).inc()
    return updated


async def close(broker: Broker, conn: asyncpg.Connection, consult: Consult, now: datetime,
                body: CloseBody, principal: Principal) -> Consult:
    if body.evacuation is not None and body.outcome != "evacuation_recommended":
        raise invalid("evacuation", "only with the outcome evacuation_recommended")
    extra = {"outcome": body.outcome}
    if body.outcome == "evacuation_recommended":
        extra["evacuation_draft_id"] = str(await _draft(conn, consult, body, principal))
    return await broker.transition(conn, consult, "close", now, principal, "consult.closed", extra,
                              outcome=body.outcome, outcome_note=body.note)


async def _draft(conn: asyncpg.Connection, consult: Consult, body: CloseBody, principal: Principal) -> uuid.UUID:
    spec = body.evacuation
    if spec is not None:
        await scope.require_facility(conn, spec.destination_facility_id, "evacuation.destination_facility_id",
                                     missions=[consult.mission_id])
    draft_id = uuid.uuid4()
    row = await conn.fetchrow(
        """INSERT INTO consult_evacuation_drafts (id, consult_id, mission_id, recommended_by, precedence,
               destination_facility_id, note, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           RETURNING id, consult_id, mission_id, precedence, destination_facility_id, status""",
        draft_id, consult.id, consult.mission_id, principal.user, spec and spec.precedence,
        spec and spec.destination_facility_id, (spec and spec.note) or body.note, consult.summary)
    await record_change(conn, principal, event="evacuation_draft.created", entity="evacuation_draft",
                        entity_id=draft_id, mission_id=consult.mission_id,
                        after={k: (str(v) if v is not None else None) for k, v in dict(row).items()})
    return draft_id
