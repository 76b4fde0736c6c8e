"""Evacuation rows. Tasking is one conditional statement; transitions are compare-and-set."""

import uuid
from datetime import datetime

import asyncpg

from medevac.bounds import finite
from medevac.dispatch.evacuations.machine import ESCORTED, LIVE, Transition
from medevac.dispatch.evacuations.model import Evacuation

SELECT = f"""SELECT e.id, e.mission_id, e.request_id, e.asset_id, e.escort_asset_id, e.facility_id, e.state, e.approval,
        e.approved_by, e.recommended, e.warnings, e.precedence, e.asset_kind, e.beds_reserved, e.eta_pickup,
        e.eta_facility, e.tasked_at, e.airborne_at, e.at_pickup_at, e.loaded_at, e.handed_over_at,
        e.completed_at, e.aborted_at, e.abort_reason, e.replaced_by, e.updated_at, e.version,
        r.called_at,
        -- unknown injury time: the call, the latest it can have been (so times to care are lower bounds);
        -- a stored time that is not finite (year 0001 became -infinity) counts as unknown
        coalesce((SELECT min(c.injured_at) FROM casualties c WHERE c.evacuation_id = e.id AND isfinite(c.injured_at)),
                 {finite('r.injured_at')}, r.called_at) AS injured_at,
        coalesce((SELECT array_agg(c.id ORDER BY c.ordinal) FROM casualties c WHERE c.evacuation_id = e.id),
                 '{{}}') AS casualty_ids
    FROM evacuations e JOIN evac_requests r ON r.id = e.request_id"""


def _evacuation(row: asyncpg.Record | None) -> Evacuation | None:
    return None if row is None else Evacuation.model_validate(dict(row))


async def task(
    conn: asyncpg.Connection, *, mission_id: uuid.UUID, request_id: uuid.UUID, asset_id: uuid.UUID,
    facility_id: uuid.UUID, casualty_ids: list[uuid.UUID], approval: str, approved_by: str,
    recommended: bool, warnings: list[dict], precedence: str, eta_pickup: datetime | None,
    eta_facility: datetime | None, escort_asset_id: uuid.UUID | None = None,
) -> Evacuation | None:
    """Task the asset (and its escort, if any) for these casualties, in one statement, only if all
    of it still holds: each aircraft is free (available, or returning with no live sortie or escort
    duty) and every casualty still waits. None: someone else got there first (the caller's
    transaction must roll back)."""
    evacuation_id = uuid.uuid4()
    inserted = await conn.fetchval(
        """WITH asset AS (
               UPDATE assets SET status = 'tasked', status_at = now(), version = version + 1
               WHERE id = $2 AND mission_id = $3 AND status IN ('available', 'returning')
                 AND NOT EXISTS (SELECT 1 FROM evacuations x WHERE x.asset_id = $2 AND x.state = ANY($12)
                                 OR x.escort_asset_id = $2 AND x.state = ANY($16))
               RETURNING id, kind),
           escort AS (
               UPDATE assets SET status = 'tasked', status_at = now(), version = version + 1
               WHERE id = $15 AND mission_id = $3 AND armed AND status IN ('available', 'returning')
                 AND NOT EXISTS (SELECT 1 FROM evacuations x WHERE x.asset_id = $15 AND x.state = ANY($12)
                                 OR x.escort_asset_id = $15 AND x.state = ANY($16))
               RETURNING id),
           boarded AS (
               UPDATE casualties SET status = 'tasked', evacuation_id = $1
               WHERE id = ANY($5) AND request_id = $4 AND status = 'waiting' AND EXISTS (SELECT 1 FROM asset)
               RETURNING id)
           INSERT INTO evacuations (id, mission_id, request_id, asset_id, facility_id, state, approval,
               approved_by, recommended, warnings, precedence, asset_kind, beds_reserved, eta_pickup,
               eta_facility, escort_asset_id)
           SELECT $1, $3, $4, $2, $6, 'tasked', $7, $8, $9, $10, $11, asset.kind, cardinality($5::uuid[]),
                  $13, $14, $15
           FROM asset WHERE (SELECT count(*) FROM boarded) = cardinality($5::uuid[])
             AND ($15::uuid IS NULL OR EXISTS (SELECT 1 FROM escort))
           RETURNING id""",
        evacuation_id, asset_id, mission_id, request_id, casualty_ids, facility_id, approval, approved_by,
        recommended, warnings, precedence, list(LIVE), eta_pickup, eta_facility, escort_asset_id, list(ESCORTED),
    )
    return None if inserted is None else await get(conn, evacuation_id)


async def get(conn: asyncpg.Connection, evacuation_id: uuid.UUID) -> Evacuation | None:
    return _evacuation(await conn.fetchrow(f"{SELECT} WHERE e.id = $1", evacuation_id))


async def live_for_asset(conn: asyncpg.Connection, asset_id: uuid.UUID) -> Evacuation | None:
    """The live evacuation that holds the asset, as its carrier or as its escort."""
    return _evacuation(await conn.fetchrow(
        f"""{SELECT} WHERE (e.asset_id = $1 AND e.state = ANY($2) OR e.escort_asset_id = $1 AND e.state = ANY($3))
            ORDER BY e.asset_id = $1 DESC""", asset_id, list(LIVE), list(ESCORTED)))


async def list_for(
    conn: asyncpg.Connection, mission_id: uuid.UUID | None, *, state: str | None, request_id: uuid.UUID | None,
    after: uuid.UUID | None, limit: int,
) -> list[Evacuation]:
    rows = await conn.fetch(
        f"""{SELECT}
            WHERE ($1::uuid IS NULL OR e.mission_id = $1) AND ($2::text IS NULL OR e.state = $2)
              AND ($3::uuid IS NULL OR e.request_id = $3) AND ($4::uuid IS NULL OR e.id > $4)
            ORDER BY e.id LIMIT $5""",
        mission_id, state, request_id, after, limit,
    )
    return [_evacuation(r) for r in rows]


async def advance(conn: asyncpg.Connection, evacuation: Evacuation, step: Transition, *,
                  reason: str | None, eta_pickup: datetime | None, eta_facility: datetime | None) -> bool:
    """Move the evacuation along `step` only if it is still where the caller saw it."""
    done = await conn.execute(
        f"""UPDATE evacuations SET state = $3, {step.stamp} = now(), updated_at = now(), version = version + 1,
                abort_reason = coalesce($4, abort_reason),
                eta_pickup = coalesce($5, eta_pickup), eta_facility = coalesce($6, eta_facility)
            WHERE id = $1 AND state = $2 AND version = $7""",
        evacuation.id, step.source, step.target, reason, eta_pickup, eta_facility, evacuation.version,
    )
    return done == "UPDATE 1"


async def follow_asset(conn: asyncpg.Connection, evacuation: Evacuation, status: str,
                       position: tuple[float, float] | None) -> None:
    """The asset's status follows this evacuation, unless another sortie (or an operator) owns it now."""
    await conn.execute(
        """UPDATE assets SET status = $3, status_at = CASE WHEN status <> $3 THEN now() ELSE status_at END,
               lat = coalesce($4, lat), lon = coalesce($5, lon),
               position_at = CASE WHEN $4::float8 IS NULL THEN position_at ELSE now() END,
               version = version + 1
           WHERE id = $1 AND status IN ('tasked', 'returning')
             AND NOT EXISTS (SELECT 1 FROM evacuations x WHERE x.asset_id = $1 AND x.id <> $2
                             AND x.state = ANY($6))""",
        evacuation.asset_id, evacuation.id, status, *(position or (None, None)), list(LIVE),
    )


async def follow_escort(conn: asyncpg.Connection, evacuation: Evacuation, status: str) -> None:
    """The escort is held until the carrier lifts off the landing zone, then flies home ('returning');
    an abort before that frees it as it frees the carrier."""
    await conn.execute(
        """UPDATE assets SET status = $2, status_at = CASE WHEN status <> $2 THEN now() ELSE status_at END,
               version = version + 1
           WHERE id = $1 AND status = 'tasked'
             AND NOT EXISTS (SELECT 1 FROM evacuations x WHERE x.asset_id = $1 AND x.state = ANY($3))""",
        evacuation.escort_asset_id, status, list(LIVE))


async def move_casualties(conn: asyncpg.Connection, evacuation: Evacuation, status: str) -> None:
    if status == "waiting":  # aborted: back in the queue, free for another sortie
        await conn.execute("UPDATE casualties SET status = 'waiting', evacuation_id = NULL WHERE evacuation_id = $1",
                           evacuation.id)
        return
    await conn.execute(
        """UPDATE casualties SET status = $2,
               handed_over_at = CASE WHEN $2 = 'handed_over' THEN now() ELSE handed_over_at END
           WHERE evacuation_id = $1""",
        evacuation.id, status)


async def mark_replaced(conn: asyncpg.Connection, old_id: uuid.UUID, new_id: uuid.UUID) -> None:
    await conn.execute("UPDATE evacuations SET replaced_by = $2 WHERE id = $1", old_id, new_id)


async def lock(conn: asyncpg.Connection, evacuation_id: uuid.UUID) -> Evacuation | None:
    """The evacuation as it is now, its row locked to the end of the transaction: a transition or
    another join of it waits for this one, then sees what this one did."""
    await conn.execute("SELECT 1 FROM evacuations WHERE id = $1 FOR UPDATE", evacuation_id)
    return await get(conn, evacuation_id)


async def room(conn: asyncpg.Connection, evacuation: Evacuation, request_id: uuid.UUID,
               casualty_ids: list[uuid.UUID]) -> asyncpg.Record:
    """The carrier's litters and seats, who is aboard, and which of these casualties still wait."""
    return await conn.fetchrow(
        """SELECT a.litters, a.seats,
                  count(c.id) FILTER (WHERE c.evacuation_id = $1 AND c.patient_type = 'litter') AS aboard_litter,
                  count(c.id) FILTER (WHERE c.evacuation_id = $1 AND c.patient_type <> 'litter') AS aboard_walking,
                  count(c.id) FILTER (WHERE c.id = ANY($3) AND c.request_id = $4 AND c.status = 'waiting'
                                      AND c.patient_type = 'litter') AS joining_litter,
                  count(c.id) FILTER (WHERE c.id = ANY($3) AND c.request_id = $4 AND c.status = 'waiting'
                                      AND c.patient_type <> 'litter') AS joining_walking
           FROM assets a LEFT JOIN casualties c ON c.evacuation_id = $1 OR c.id = ANY($3)
           WHERE a.id = $2 GROUP BY a.id""",
        evacuation.id, evacuation.asset_id, casualty_ids, request_id)


async def join(conn: asyncpg.Connection, evacuation: Evacuation, request_id: uuid.UUID,
               casualty_ids: list[uuid.UUID]) -> bool:
    """Board these casualties of another request onto the (locked) evacuation, with beds for them:
    False when any of them no longer waits (the caller's transaction must roll back)."""
    boarded = await conn.fetch(
        """UPDATE casualties SET status = 'tasked', evacuation_id = $1
           WHERE id = ANY($2) AND request_id = $3 AND status = 'waiting' RETURNING id""",
        evacuation.id, casualty_ids, request_id)
    if len(boarded) != len(casualty_ids):
        return False
    await conn.execute(
        """UPDATE evacuations SET beds_reserved = beds_reserved + $2, updated_at = now(), version = version + 1
           WHERE id = $1""", evacuation.id, len(casualty_ids))
    return True


async def requests_aboard(conn: asyncpg.Connection, evacuation: Evacuation) -> list[uuid.UUID]:
    """The evacuation's own request first, then those whose casualties rode along."""
    rows = await conn.fetch("SELECT DISTINCT request_id FROM casualties WHERE evacuation_id = $1", evacuation.id)
    return [evacuation.request_id] + sorted(r["request_id"] for r in rows if r["request_id"] != evacuation.request_id)
