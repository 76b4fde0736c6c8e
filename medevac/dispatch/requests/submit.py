"""Storing a parsed 9-line: the one intake every channel goes through (HTTP JSON, radio text, CoT)."""

import uuid
from datetime import datetime, timezone

import asyncpg

from medevac.auth import Principal
from medevac.dispatch.nineline import NineLine
from medevac.dispatch.requests import intake, store
from medevac.dispatch.requests.model import EvacRequest
from medevac.events import record_change


async def submit(conn: asyncpg.Connection, principal: Principal, mission_id: uuid.UUID, nine_line: NineLine, *,
                 injured_at: datetime | None, source: str, raw_text: str | None) -> EvacRequest:
    """Store the request and its casualties, audit it and publish `evac_request.created` (the planner
    re-plans on it), in the caller's transaction."""
    maximum = await conn.fetchval("SELECT max_patients_per_request FROM missions WHERE id = $1", mission_id)
    if maximum is not None:
        intake.within_mission_limit(nine_line, maximum)
    created = await store.create(
        conn, mission_id, intake.to_intake(nine_line, injured_at), source=source, raw_text=raw_text,
        created_by=principal.user, called_at=datetime.now(timezone.utc))
    await record_change(conn, principal, event="evac_request.created", entity="evac_request",
                        entity_id=created.id, mission_id=mission_id, after=created.model_dump(mode="json"))
    return created
