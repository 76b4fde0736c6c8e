"""Pacing: the planner rests in proportion to its last solve, a position fix alone waits for the
routine interval, a new request cuts that wait short, and no trigger is dropped."""

import asyncio
import time

import pytest

from medevac.dispatch.planning import replan as replan_module
from medevac.dispatch.planning.loop import PlannerSettings

SOLVE_MS = 400.0  # what every solve reports here: the rest after it is PACE × 0.4 s
PACE = 2.0
ROUTINE_S = 3.0


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="closest", debounce_s=0.0, tick_s=3600, pace=PACE,
                           routine_s=ROUTINE_S)


@pytest.fixture
def solves(monkeypatch) -> list[float]:
    """Start times of every solve; each solve reports SOLVE_MS, so the pacing it causes is known."""
    started, original = [], replan_module.solve

    async def timed(workers, policy, snap, time_limit_s, previous):
        started.append(time.monotonic())
        plan = await original(workers, policy, snap, time_limit_s, previous)
        return plan.model_copy(update={"solve_ms": SOLVE_MS})

    monkeypatch.setattr(replan_module, "solve", timed)
    return started


async def planned(db, mission_id, seq: int, timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while (await db.fetchval("SELECT based_on_seq FROM plans WHERE mission_id = $1", mission_id) or 0) < seq:
            await asyncio.sleep(0.02)


async def last_seq(db) -> int:
    """The newest event a plan must cover (a plan's own announcement triggers nothing)."""
    return await db.fetchval("SELECT max(seq) FROM events WHERE type <> 'plan.updated'")


async def test_a_burst_of_requests_is_planned_at_the_paced_rate_and_fully_covered(client, token, theatre, radio,
                                                                                  wordings, db, solves):
    field = await token("field")
    created = []
    for _ in range(6):  # a request every 0.1 s: unpaced, each would start its own solve
        created.append(await radio(field, wordings["labelled"]))
        await asyncio.sleep(0.1)
    await planned(db, theatre.mission_id, await last_seq(db), timeout=10)
    gaps = [b - a for a, b in zip(solves, solves[1:])]
    assert gaps and min(gaps) >= PACE * SOLVE_MS / 1000 - 0.05  # rested 0.8 s after each 0.4 s solve
    assert len(solves) <= 3  # 0.6 s of requests: the first, then at most two paced plans
    plan = await db.fetchrow("SELECT plan FROM plans WHERE mission_id = $1", theatre.mission_id)
    assert {r["request_id"] for r in plan["plan"]["recommendations"]} == {r["id"] for r in created}


async def test_a_position_fix_waits_for_the_routine_interval_unless_a_request_comes(client, token, theatre, radio,
                                                                                    wordings, db, solves):
    field, dispatcher = await token("field"), await token("dispatcher")
    await radio(field, wordings["labelled"])
    await planned(db, theatre.mission_id, await last_seq(db), timeout=5)
    helo = theatre.helos[0]

    async def fix(lat: float) -> None:
        current = await (await client.get(f"/v1/assets/{helo.id}", headers=dispatcher)).json()
        moved = await client.patch(f"/v1/assets/{helo.id}", json={"position": {"lat": lat, "lon": 21.98}},
                                   headers=dispatcher | {"If-Match": f'"{current["version"]}"'})
        assert moved.status == 200, await moved.text()

    await fix(6.50)  # the planner has not seen this asset's status yet: prompt
    await planned(db, theatre.mission_id, await last_seq(db), timeout=5)
    before = len(solves)
    await fix(6.49)  # same status: routine
    sent = time.monotonic()
    await planned(db, theatre.mission_id, await last_seq(db), timeout=ROUTINE_S + 3)
    assert len(solves) == before + 1 and solves[-1] - sent >= ROUTINE_S - 0.5  # waited, then planned once

    await fix(6.48)
    sent = time.monotonic()
    await asyncio.sleep(0.3)
    await radio(field, wordings["labelled"])  # a new casualty does not wait behind a position fix
    await planned(db, theatre.mission_id, await last_seq(db), timeout=ROUTINE_S)
    assert time.monotonic() - sent < ROUTINE_S - 1


async def test_plan_events_carry_changes_that_fold_into_the_stored_plan(client, token, theatre, radio, wordings,
                                                                        db, solves, sse):
    field, dispatcher = await token("field"), await token("dispatcher")
    stream = await sse(client, dispatcher)
    folded: dict[str, dict] = {}
    sizes = []
    first = await radio(field, wordings["labelled"])
    for _ in range(3):
        await radio(field, wordings["labelled"])
        await planned(db, theatre.mission_id, await last_seq(db), timeout=10)
    choice = {"asset_id": str(theatre.helos[0].id), "facility_id": str(theatre.level_ii.id)}
    approved = await client.post(f"/v1/evac-requests/{first['id']}/approve", headers=dispatcher, json=choice)
    assert approved.status == 201, await approved.text()
    await planned(db, theatre.mission_id, await last_seq(db), timeout=10)
    stored = await db.fetchrow("SELECT plan_no, plan FROM plans WHERE mission_id = $1", theatre.mission_id)
    while True:
        event = await stream.until(lambda e: e["type"] == "plan.updated")
        sizes.append(len(event["payload"]["recommendations"]))
        folded.update({r["request_id"]: r for r in event["payload"]["recommendations"]})
        for request_id in event["payload"]["withdrawn"]:
            del folded[request_id]
        if event["payload"]["plan_no"] == stored["plan_no"]:
            break
    assert folded == {r["request_id"]: {k: r[k] for k in ("request_id", "asset_id", "facility_id")}
                      for r in stored["plan"]["recommendations"]}
    assert first["id"] not in folded  # tasked: withdrawn from the plan
    assert len(sizes) >= 3 and min(sizes[1:]) < len(folded)  # later plans carry changes, not the plan
