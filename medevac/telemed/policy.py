"""Per-mission answer targets and offer timeouts, falling back to the service defaults."""

import uuid

import asyncpg

from medevac.config import Settings
from medevac.telemed.model import Policy


def defaults(settings: Settings) -> Policy:
    return Policy.model_validate({"answer_targets": settings.telemed_answer_targets_s,
                                  "offer_timeouts": settings.telemed_offer_timeouts_s})


async def get(conn: asyncpg.Connection, mission_id: uuid.UUID, settings: Settings) -> Policy:
    row = await conn.fetchrow(
        "SELECT answer_targets, offer_timeouts FROM telemed_policies WHERE mission_id = $1", mission_id)
    return defaults(settings) if row is None else Policy.model_validate(dict(row))


async def put(conn: asyncpg.Connection, mission_id: uuid.UUID, policy: Policy) -> Policy:
    await conn.execute(
        """INSERT INTO telemed_policies (mission_id, answer_targets, offer_timeouts) VALUES ($1, $2, $3)
           ON CONFLICT (mission_id) DO UPDATE SET answer_targets = $2, offer_timeouts = $3, updated_at = now()""",
        mission_id, policy.answer_targets.model_dump(), policy.offer_timeouts.model_dump())
    return policy
