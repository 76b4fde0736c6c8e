"""What must hold in the database whatever process died when: checked straight on the rows."""

import asyncpg

from medevac.dispatch.evacuations.machine import LIVE
from medevac.dispatch.planning.replan import PLAN_LOCK


async def assert_whole(conn: asyncpg.Connection) -> dict[str, int]:
    """No asset double-tasked, no half-written evacuation or plan; the counts checked.

    Read in one snapshot: the surviving replica may commit more while we look."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        return await _whole(conn)


async def _whole(conn: asyncpg.Connection) -> dict[str, int]:
    live = list(LIVE)
    doubled = await conn.fetch("SELECT asset_id FROM evacuations WHERE state = ANY($1) "
                               "GROUP BY asset_id HAVING count(*) > 1", live)
    assert doubled == [], "an asset has two live evacuations"
    evacuations = await conn.fetch("SELECT id, request_id, asset_id, state FROM evacuations")
    for evac in evacuations:
        eid = str(evac["id"])
        aboard = await conn.fetch("SELECT status FROM casualties WHERE evacuation_id = $1", evac["id"])
        assert aboard and all(c["status"] != "waiting" for c in aboard), f"evacuation {eid} without casualties"
        audited = await conn.fetchval("SELECT count(*) FROM audit_log WHERE entity = 'evacuation' AND "
                                      "entity_id = $1 AND action = 'evacuation.tasked'", eid)
        announced = await conn.fetchval("SELECT count(*) FROM events WHERE type = 'evacuation.tasked' AND "
                                        "entity_id = $1", eid)
        prealerts = await conn.fetchval("SELECT count(*) FROM events WHERE type = 'facility.prealert' AND "
                                        "payload->>'evacuation_id' = $1", eid)
        assert (audited, announced, prealerts) == (1, 1, 1), f"evacuation {eid} half-written"
        if evac["state"] in LIVE:
            status = await conn.fetchval("SELECT status FROM assets WHERE id = $1", evac["asset_id"])
            assert status != "available", f"evacuation {eid} is live but its asset is available"
    orphans = await conn.fetchval(
        "SELECT count(*) FROM casualties c WHERE c.status <> 'waiting' AND c.evacuation_id IS NULL")
    assert orphans == 0, "casualties taken off the waiting list by no evacuation"
    idle_tasked = await conn.fetchval(
        "SELECT count(*) FROM assets a WHERE a.status = 'tasked' AND NOT EXISTS "
        "(SELECT 1 FROM evacuations e WHERE e.asset_id = a.id AND e.state = ANY($1))", live)
    assert idle_tasked == 0, "an asset marked tasked with no live evacuation"
    plan_numbers = [r["n"] for r in await conn.fetch(
        "SELECT (payload->>'plan_no')::int AS n FROM events WHERE type = 'plan.updated' ORDER BY seq")]
    assert plan_numbers == list(range(1, len(plan_numbers) + 1)), "a plan number announced twice or skipped"
    stored = await conn.fetchval("SELECT coalesce(max(plan_no), 0) FROM plans")
    assert stored == len(plan_numbers), "the stored plan and its announcements disagree"
    return {"evacuations": len(evacuations), "plans": stored}


async def plan_lock_holder(conn: asyncpg.Connection) -> asyncpg.Record | None:
    """The session holding a mission's planning advisory lock in this database, if any."""
    return await conn.fetchrow(
        """SELECT a.pid, a.application_name, a.wait_event_type FROM pg_locks l JOIN pg_stat_activity a USING (pid)
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::bigint = $1
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())""", PLAN_LOCK)


async def sessions_of(conn: asyncpg.Connection, application_name: str) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT pid, state, wait_event_type FROM pg_stat_activity "
                            "WHERE application_name = $1 AND datname = current_database()", application_name)
