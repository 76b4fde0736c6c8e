"""Two replicas on one database; one is SIGKILLed mid-plan or mid-tasking.

The window is made wide from outside the service, honestly: the test holds row locks on the
assets, as a slow concurrent transaction would, so the victim is caught inside its transaction
(planning lock held, plan written but not committed, tasking update waiting). Afterwards no
asset is tasked twice, nothing is half-written, and the other replica carries on.
"""

import asyncio
import uuid

import aiohttp
import asyncpg

from tests import factories
from tests.reliability import theatre
from tests.reliability.invariants import assert_whole, plan_lock_holder, sessions_of

PLANNER = {"MEDEVAC_PLANNER_TIME_LIMIT_S": "0.5", "MEDEVAC_PLANNER_TICK_S": "3600"}


async def until(predicate, timeout: float = 20.0, every: float = 0.05):
    """Poll an async predicate until it returns something truthy; that value."""
    async with asyncio.timeout(timeout):
        while not (found := await predicate()):
            await asyncio.sleep(every)
        return found


async def radio(http: aiohttp.ClientSession, headers: dict, call_sign: str, **where: float) -> dict:
    async with http.post("/v1/evac-requests", data=theatre.radio_call(call_sign, **where),
                         headers=headers | {"Content-Type": "text/plain"}) as r:
        assert r.status == 201, await r.text()
        return await r.json()


async def lock_assets(database_url: str, asset_ids: list[uuid.UUID]) -> asyncpg.Connection:
    """Hold the assets' rows (a concurrent transaction that will not finish until released)."""
    holder = await asyncpg.connect(database_url)
    await holder.execute("BEGIN")
    await holder.execute("SELECT 1 FROM assets WHERE id = ANY($1) FOR UPDATE", asset_ids)
    return holder


async def test_killed_mid_plan_the_other_replica_plans_and_auto_tasks_once(database_url, db, replicas):
    laydown = await theatre.seed(db, helicopters=2, approval="auto")
    field = await factories.token(db, "field", laydown.mission_id)
    one, two = await replicas(database_url, **PLANNER), await replicas(database_url, **PLANNER)
    holder = await lock_assets(database_url, laydown.helos)
    async with aiohttp.ClientSession(one.url) as http:
        request = await radio(http, field, "VICTIM")

    # One replica takes the planning lock, stores its plan and blocks in auto-tasking: mid-plan.
    planner = await until(lambda: plan_lock_holder(db))
    victim, survivor = (one, two) if planner["application_name"] == one.application_name else (two, one)
    assert planner["application_name"] == victim.application_name
    await until(lambda: _waits_on_lock(db, victim))
    victim.kill()
    # PostgreSQL notices the dead client and ends its session, releasing the planning lock, while
    # the assets are still held: nothing of the victim's plan or tasking may survive that.
    await until(lambda: _gone(db, victim), timeout=15)
    assert await db.fetchval("SELECT count(*) FROM plans") == 0
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 0
    await holder.execute("ROLLBACK")
    await holder.close()

    evacuation = await until(lambda: db.fetchrow("SELECT * FROM evacuations WHERE request_id = $1",
                                                 uuid.UUID(request["id"])))
    assert evacuation["approval"] == "auto" and evacuation["state"] == "tasked"
    plan = await db.fetchrow("SELECT plan_no, planned_by FROM plans WHERE mission_id = $1", laydown.mission_id)
    assert f":{survivor.process.pid}:" in plan["planned_by"] and plan["plan_no"] == 1
    async with aiohttp.ClientSession(survivor.url) as http:  # and it carries on with new calls
        # 20 km away: a call from the first one's landing zone would ride along with its aircraft.
        later = await radio(http, field, "LATER", lat=6.78)
        recommended = await until(lambda: _recommendation(http, field, later["id"]))
    other = next(h for h in laydown.helos if h != evacuation["asset_id"])
    assert recommended["asset_id"] == str(other)
    tasked = await until(lambda: _all_tasked(db, 2))
    assert [(str(r["request_id"]), r["asset_id"]) for r in tasked] == [
        (request["id"], evacuation["asset_id"]), (later["id"], other)]  # one each, never one asset twice
    counts = await assert_whole(db)
    print({"victim_plan_numbers_committed": 0, **counts})


async def test_killed_mid_tasking_the_other_approval_wins_and_nothing_is_doubled(database_url, db, replicas):
    laydown = await theatre.seed(db, helicopters=2)
    field = await factories.token(db, "field", laydown.mission_id)
    dispatcher = await factories.token(db, "dispatcher", laydown.mission_id)
    one, two = await replicas(database_url, **PLANNER), await replicas(database_url, **PLANNER)
    async with aiohttp.ClientSession(one.url) as http:
        first, second = await radio(http, field, "FIRST"), await radio(http, field, "SECOND")
    choice = {"asset_id": str(laydown.helos[0]), "facility_id": str(laydown.level_ii), "accept_warnings": True}
    holder = await lock_assets(database_url, laydown.helos[:1])

    async def approve(replica, request: dict) -> tuple[int, dict | None]:
        async with aiohttp.ClientSession(replica.url) as http:
            try:
                async with http.post(f"/v1/evac-requests/{request['id']}/approve", json=choice,
                                     headers=dispatcher | {"Idempotency-Key": f"approve-{request['id']}"}) as r:
                    return r.status, await r.json()
            except aiohttp.ClientConnectionError:
                return 0, None

    doomed = asyncio.create_task(approve(one, first))
    await until(lambda: _waits_on_lock(db, one))
    winner = asyncio.create_task(approve(two, second))
    await until(lambda: _waits_on_lock(db, two))
    one.kill()  # mid-tasking: its approval transaction is inside the conditional update
    await until(lambda: _gone(db, one), timeout=15)
    await holder.execute("ROLLBACK")
    await holder.close()

    assert (await doomed)[0] == 0  # the client of the dead replica got no answer
    status, won = await winner
    assert status == 201 and won["request_id"] == second["id"] and won["asset_id"] == choice["asset_id"]
    retry = await approve(two, first)  # the same approval retried on the survivor: a clean conflict
    assert retry[0] == 409 and retry[1]["asset"]["status"] == "tasked", retry
    rows = await db.fetch("SELECT request_id, asset_id FROM evacuations")
    assert [(str(r["request_id"]), str(r["asset_id"])) for r in rows] == [(second["id"], choice["asset_id"])]
    assert await db.fetchval("SELECT status FROM evac_requests WHERE id = $1", uuid.UUID(first["id"])) == "open"
    print(await assert_whole(db))


async def _all_tasked(db, count: int) -> list | None:
    rows = await db.fetch("SELECT request_id, asset_id FROM evacuations ORDER BY tasked_at")
    return rows if len(rows) >= count else None


async def _waits_on_lock(db, replica) -> bool:
    return any(s["wait_event_type"] == "Lock" for s in await sessions_of(db, replica.application_name))


async def _gone(db, replica) -> bool:
    return not await sessions_of(db, replica.application_name)


async def _recommendation(http, headers: dict, request_id: str) -> dict | None:
    async with http.get(f"/v1/evac-requests/{request_id}", headers=headers) as r:
        return (await r.json())["recommendation"]
