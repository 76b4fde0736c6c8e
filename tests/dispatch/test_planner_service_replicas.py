"""Two app instances on one database plan the same mission one at a time and lose no event."""

import asyncio

import pytest

from medevac.dispatch.planning import replan as replan_module
from medevac.dispatch.planning.loop import PlannerSettings


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="optimized", time_limit_s=0.5, debounce_s=0.0)


async def test_two_replicas_plan_one_at_a_time_and_cover_every_request(aiohttp_client, make_app, client, token,
                                                                       theatre, wordings, db, monkeypatch):
    running, overlaps, solves = set(), [], []
    original = replan_module.solve

    async def watched(executor, policy, snap, time_limit_s, previous):
        key = tuple(sorted({p.request_id for p in snap.patients}))
        if running:
            overlaps.append(key)
        running.add(id(snap))
        try:
            await asyncio.sleep(0.05)  # widen the window a race would need
            plan = await original(executor, policy, snap, time_limit_s, previous)
            solves.append(plan.now)
            return plan
        finally:
            running.discard(id(snap))

    monkeypatch.setattr(replan_module, "solve", watched)
    replica = await aiohttp_client(make_app())
    field = await token("field")
    posts = [
        c.post("/v1/evac-requests", data=wordings["labelled"].encode(),
               headers=field | {"Content-Type": "text/plain"})
        for _ in range(4) for c in (client, replica)
    ]
    created = [await r.json() for r in await asyncio.gather(*posts)]
    assert len({r["id"] for r in created}) == 8
    last_created = await db.fetchval("SELECT max(seq) FROM events WHERE type = 'evac_request.created'")

    async with asyncio.timeout(15):
        while True:
            plan = await db.fetchrow("SELECT based_on_seq, plan, planned_by FROM plans WHERE mission_id = $1",
                                     theatre.mission_id)
            if plan and plan["based_on_seq"] >= last_created and not running:
                break
            await asyncio.sleep(0.05)
    covered = {r["request_id"] for r in plan["plan"]["recommendations"]}
    assert covered == {r["id"] for r in created}  # no event lost: the last plan saw every request
    assert overlaps == []  # never two plans of one mission at once, across both replicas
    planners = {r["payload"]["plan_no"]: r["seq"] for r in await db.fetch(
        "SELECT seq, payload FROM events WHERE type = 'plan.updated' ORDER BY seq")}
    assert sorted(planners) == list(range(1, len(planners) + 1))  # stored plans numbered without gaps or twins
    assert len(solves) == len(planners) and len(planners) < 8  # triggers already covered were skipped
