"""Pacing: the planner rests in proportion to its last solve, a position fix alone waits for the
routine interval, a new request cuts that wait short, and no trigger is dropped.

The tests judge the planner's decisions (solve now, or defer and keep the trigger) by the figures
it decided on: the current plan's age on its own clock and the rest its last solve earned."""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from medevac.dispatch.planning import loop as loop_module
from medevac.dispatch.planning import replan as replan_module
from medevac.dispatch.planning import store as plans
from medevac.dispatch.planning.loop import PlannerSettings
from medevac.dispatch.planning.replan import Deferred

SOLVE_MS = 400.0  # what every solve reports here: the rest after it is PACE × 0.4 s
PACE = 2.0
ROUTINE_S = 3.0


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="closest", debounce_s=0.0, tick_s=3600, pace=PACE,
                           routine_s=ROUTINE_S)


@pytest.fixture
def solves(monkeypatch) -> list[int]:
    """Every solve (counted); each reports SOLVE_MS, so the pacing it causes is known."""
    count, original = [], replan_module.solve

    async def reported(workers, policy, snap, time_limit_s, previous):
        count.append(1)
        plan = await original(workers, policy, snap, time_limit_s, previous)
        return plan.model_copy(update={"solve_ms": SOLVE_MS})

    monkeypatch.setattr(replan_module, "solve", reported)
    return count


@dataclass
class Decision:
    """One call of `replan` by the planner loop, and what it decided."""

    trigger_seq: int | None
    settle_s: float
    outcome: int | None | Deferred
    age_s: float | None  # the current plan's age when it decided (None: no plan yet)
    rest_s: float | None  # PACE times the current plan's solve

    @property
    def solved(self) -> bool:
        return isinstance(self.outcome, int)


@pytest.fixture
def decisions(monkeypatch) -> list[Decision]:
    seen, original = [], loop_module.replan

    async def recorded(conn, workers, mission_id, **kw):
        current = await plans.current(conn, mission_id)
        now: list[datetime] = []

        def clock() -> datetime:
            now.append(datetime.now(timezone.utc))
            return now[-1]

        outcome = await original(conn, workers, mission_id, clock=clock, **kw)
        age = (now[0] - current["created_at"]).total_seconds() if current and now else None
        rest = PACE * current["solve_ms"] / 1000 if current else None
        seen.append(Decision(kw["trigger_seq"], kw["settle_s"], outcome, age, rest))
        return outcome

    monkeypatch.setattr(loop_module, "replan", recorded)
    return seen


async def until(condition, timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def planned(db, mission_id, seq: int, timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while (await db.fetchval("SELECT based_on_seq FROM plans WHERE mission_id = $1", mission_id) or 0) < seq:
            await asyncio.sleep(0.02)


async def last_seq(db) -> int:
    """The newest event a plan must cover (a plan's own announcement triggers nothing)."""
    return await db.fetchval("SELECT max(seq) FROM events WHERE type <> 'plan.updated'")


async def test_a_burst_of_requests_is_planned_at_the_paced_rate_and_fully_covered(client, token, theatre, radio,
                                                                                  wordings, db, solves, decisions):
    field = await token("field")
    created = []
    for _ in range(6):  # a request every 0.1 s: unpaced, each would start its own solve
        created.append(await radio(field, wordings["labelled"]))
        await asyncio.sleep(0.1)
    await planned(db, theatre.mission_id, await last_seq(db), timeout=10)
    paced = [d for d in decisions if d.age_s is not None and d.outcome is not None]
    # A plan is made only once the last one has rested PACE × its solve; a trigger before that is
    # deferred (kept), never solved at once nor dropped.
    assert all(d.age_s >= d.rest_s for d in paced if d.solved)
    assert all(d.age_s < d.rest_s for d in paced if not d.solved)
    assert any(not d.solved for d in paced)
    assert len(solves) < len(created)  # the burst was gathered into fewer plans than requests
    plan = await db.fetchrow("SELECT plan FROM plans WHERE mission_id = $1", theatre.mission_id)
    assert {r["request_id"] for r in plan["plan"]["recommendations"]} == {r["id"] for r in created}


async def move(client, headers, helo, lat: float) -> None:
    """A position fix of the helicopter (its status unchanged)."""
    current = await (await client.get(f"/v1/assets/{helo.id}", headers=headers)).json()
    moved = await client.patch(f"/v1/assets/{helo.id}", json={"position": {"lat": lat, "lon": 21.98}},
                               headers=headers | {"If-Match": f'"{current["version"]}"'})
    assert moved.status == 200, await moved.text()


async def a_request_and_a_first_fix(client, token, theatre, radio, wordings, db) -> tuple[dict, dict]:
    """A request planned, then a first position fix of the helicopter planned (the planner had
    not seen its status yet: prompt); the field and dispatcher headers."""
    field, dispatcher = await token("field"), await token("dispatcher")
    await radio(field, wordings["labelled"])
    await planned(db, theatre.mission_id, await last_seq(db), timeout=5)
    await move(client, dispatcher, theatre.helos[0], 6.50)
    await planned(db, theatre.mission_id, await last_seq(db), timeout=5)
    return field, dispatcher


async def test_a_position_fix_alone_waits_for_the_routine_interval(client, token, theatre, radio, wordings, db,
                                                                    solves, decisions):
    _, dispatcher = await a_request_and_a_first_fix(client, token, theatre, radio, wordings, db)
    helo = theatre.helos[0]
    before, decided = len(solves), len(decisions)

    await move(client, dispatcher, helo, 6.49)  # same status: routine
    await planned(db, theatre.mission_id, await last_seq(db), timeout=ROUTINE_S + 5)
    routine = decisions[decided:]
    assert all(d.settle_s == ROUTINE_S for d in routine)
    solved = [d for d in routine if d.solved]
    assert not routine[0].solved  # deferred, then planned once, when the plan was ROUTINE_S old
    assert len(solved) == 1 and solved[0].age_s >= ROUTINE_S
    assert len(solves) == before + 1


@pytest.mark.parametrize("planner_settings", [PlannerSettings(
    policy="closest", debounce_s=0.0, tick_s=3600, pace=PACE, routine_s=600)])
async def test_a_new_request_does_not_wait_behind_a_position_fix(client, token, theatre, radio, wordings, db,
                                                                 solves, decisions):
    field, dispatcher = await a_request_and_a_first_fix(client, token, theatre, radio, wordings, db)
    decided = len(decisions)
    await move(client, dispatcher, theatre.helos[0], 6.49)  # routine: deferred until the plan is 600 s old
    await until(lambda: any(isinstance(d.outcome, Deferred) for d in decisions[decided:]), timeout=5)
    assert decisions[-1].settle_s == 600 and decisions[-1].outcome.wait_s > 500

    await radio(field, wordings["labelled"])  # a new casualty wakes the planner from the routine wait
    await planned(db, theatre.mission_id, await last_seq(db), timeout=10)  # well inside the 600 s
    assert decisions[-1].solved and decisions[-1].settle_s == 0


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
