"""The current plan of each mission (one row, replaced on every re-plan)."""

import uuid
from typing import Any

import asyncpg

from medevac.dispatch.engine.model import Plan


async def current(conn: asyncpg.Connection, mission_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """SELECT mission_id, plan_no, based_on_seq, policy, fallback, fallback_reason, solve_ms, planned_by,
                  plan, created_at FROM plans WHERE mission_id = $1""", mission_id)


async def save(conn: asyncpg.Connection, mission_id: uuid.UUID, plan: Plan, *, based_on_seq: int,
               planned_by: str) -> int:
    return await conn.fetchval(
        """INSERT INTO plans (mission_id, plan_no, based_on_seq, policy, fallback, fallback_reason, solve_ms,
               planned_by, plan)
           VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (mission_id) DO UPDATE SET plan_no = plans.plan_no + 1,
               based_on_seq = excluded.based_on_seq, policy = excluded.policy, fallback = excluded.fallback,
               fallback_reason = excluded.fallback_reason, solve_ms = excluded.solve_ms,
               planned_by = excluded.planned_by, plan = excluded.plan, created_at = now()
           RETURNING plan_no""",
        mission_id, based_on_seq, plan.policy, plan.fallback, plan.fallback_reason, plan.solve_ms, planned_by,
        plan.model_dump(mode="json"))


async def recommendation(conn: asyncpg.Connection, mission_id: uuid.UUID,
                         request_id: uuid.UUID) -> tuple[dict[str, Any] | None, int | None]:
    """The current plan's recommendation for one request, and the plan's number."""
    row = await conn.fetchrow(
        """SELECT plan_no, (SELECT r FROM jsonb_array_elements(plan->'recommendations') AS t(r)
                            WHERE r->>'request_id' = $2 LIMIT 1) AS recommendation
           FROM plans WHERE mission_id = $1""", mission_id, str(request_id))
    if row is None:
        return None, None
    return row["recommendation"], row["plan_no"]
