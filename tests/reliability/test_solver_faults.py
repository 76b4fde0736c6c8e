"""Solver faults in the service: a crash inside CP-SAT, a crashing policy and a solver that hangs
past its time limit each give the `closest` plan marked as a fallback, counted in
`medevac_planner_fallbacks_total`; and the event loop keeps answering through a long solve.

Faults are injected from outside the service: the engine's functions are patched in the test
process and the solver workers are forked from it (`start_method="fork"`), so they inherit the
patch. The responsiveness test uses real solver work (a mass-casualty snapshot) and the
production start method.
"""

import asyncio
import threading

import pytest
from prometheus_client.parser import text_string_to_metric_families

from medevac.dispatch.engine import policies
from medevac.dispatch.planning.loop import PlannerSettings, planner_settings_key
from medevac.dispatch.planning.workers import SolverWorkers
from tests import factories
from tests.reliability import theatre

SURGE_SITES = 100  # 301 casualties on 30 aircraft: a solve of 1-2 s
# A board read takes milliseconds: a loop that keeps turning answers hundreds while a solve of
# seconds runs elsewhere, a loop blocked by it none.
READS_WHILE_SOLVING = 10


@pytest.fixture
def planner_app(settings_for):
    from medevac.app import create_app

    def make(settings: dict | None = None, **planner):
        app = create_app(settings_for(**(settings or {})))
        app[planner_settings_key] = PlannerSettings(debounce_s=0.0, tick_s=3600, **planner)
        return app

    return make


async def fallbacks_counted(client, mission_id) -> float:
    text = await (await client.get("/metrics")).text()
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "medevac_planner_fallbacks_total" and s.labels.get("mission") == str(mission_id))


async def next_plan(db, mission_id, after_no: int = 0, timeout: float = 30):
    async with asyncio.timeout(timeout):
        while True:
            row = await db.fetchrow("SELECT plan_no, fallback, fallback_reason, solve_ms, plan FROM plans "
                                    "WHERE mission_id = $1 AND plan_no > $2", mission_id, after_no)
            if row:
                return row
            await asyncio.sleep(0.05)


def crash_inside_cpsat(monkeypatch) -> None:
    def crashed(*_args, **_kw):
        raise RuntimeError("CP-SAT crashed")
    monkeypatch.setattr(policies, "solve", crashed)


def crash_the_policy(monkeypatch) -> None:
    def crashed(self, snapshot, **_kw):
        raise MemoryError("model too large")
    monkeypatch.setattr(policies.Optimized, "plan", crashed)


def hang_the_policy(monkeypatch) -> None:
    def hung(self, snapshot, **_kw):
        threading.Event().wait(60)
        raise RuntimeError("not killed")
    monkeypatch.setattr(policies.Optimized, "plan", hung)


def hang_past_the_limit(monkeypatch) -> None:
    def hung(*_args, **_kw):
        threading.Event().wait(60)  # a solver that ignores its time limit (its worker gets killed)
        raise RuntimeError("not killed")
    monkeypatch.setattr(policies, "solve", hung)


@pytest.mark.parametrize("fault, reason", [
    (crash_inside_cpsat, "solver error: RuntimeError('CP-SAT crashed')"),
    (crash_the_policy, "optimized failed: MemoryError('model too large')"),
    (hang_past_the_limit, "optimized failed: TimeoutError"),
])
async def test_a_failed_solve_stores_the_fallback_plan_and_counts_it(
        aiohttp_client, planner_app, db, monkeypatch, fault, reason):
    laydown = await theatre.seed(db, helicopters=2)
    field = await factories.token(db, "field", laydown.mission_id)
    fault(monkeypatch)
    client = await aiohttp_client(planner_app(policy="optimized", time_limit_s=0.3, start_method="fork"))
    response = await client.post("/v1/evac-requests", data=theatre.radio_call("FAULT"),
                                 headers=field | {"Content-Type": "text/plain"})
    assert response.status == 201
    request = await response.json()
    plan = await next_plan(db, laydown.mission_id)
    assert plan["fallback"] and plan["fallback_reason"].startswith(reason), plan["fallback_reason"]
    recommendation = next(r for r in plan["plan"]["recommendations"] if r["request_id"] == request["id"])
    assert recommendation["asset_id"] in {str(h) for h in laydown.helos}  # the closest plan still decides
    assert await fallbacks_counted(client, laydown.mission_id) == 1
    shown = await (await client.get(f"/v1/evac-requests/{request['id']}", headers=field)).json()
    assert shown["recommendation"]["asset_id"] == recommendation["asset_id"]


class SolverCall:
    """The planner handing a snapshot to its solver workers (`solve`) or to the fallback process
    (`fallback`): `started` is set as it hands it over, `finished` when the plan comes back."""

    def __init__(self, monkeypatch, method: str) -> None:
        self.started, self.finished, original = asyncio.Event(), asyncio.Event(), getattr(SolverWorkers, method)

        async def handing_over(workers, *args):
            self.started.set()
            try:
                return await original(workers, *args)
            finally:
                self.finished.set()

        monkeypatch.setattr(SolverWorkers, method, handing_over)

    def clear(self) -> None:
        self.started.clear()
        self.finished.clear()

    async def reads_answered(self, client, headers) -> int:
        """Board reads answered one after another from the hand-over until the plan comes back. A
        loop blocked by the work answers none: the waiting itself resumes only once it is over."""
        async with asyncio.timeout(60):
            await self.started.wait()
        answered = 0
        while not self.finished.is_set():
            response = await client.get("/v1/assets?limit=5", headers=headers)
            assert response.status == 200
            answered += 1
        return answered


async def test_the_event_loop_stays_responsive_while_a_long_solve_runs(aiohttp_client, planner_app, db,
                                                                       monkeypatch):
    laydown = await theatre.seed(db, helicopters=30, spread_deg=2.0)
    await theatre.seed_surge(db, laydown.mission_id, sites=SURGE_SITES)
    field = await factories.token(db, "field", laydown.mission_id)
    solving = SolverCall(monkeypatch, "solve")
    client = await aiohttp_client(planner_app(settings={"rate_calls_per_minute": 100_000}, policy="optimized",
                                              time_limit_s=2.0))
    first = await next_plan(db, laydown.mission_id)  # the start-up plan of what was open
    solving.clear()

    response = await client.post("/v1/evac-requests", data=theatre.radio_call("ONE-MORE"),
                                 headers=field | {"Content-Type": "text/plain"})
    assert response.status == 201
    answered = await solving.reads_answered(client, field)
    plan = await next_plan(db, laydown.mission_id, after_no=first["plan_no"])
    print({"patients": SURGE_SITES * 3 + 1, "assets": 30, "solve_ms": round(plan["solve_ms"]),
           "reads_during_solve": answered})
    assert answered >= READS_WHILE_SOLVING


async def test_a_solver_that_keeps_hanging_cannot_stop_planning(aiohttp_client, planner_app, db, monkeypatch):
    """More hung solves than workers: each is killed, and every re-plan still comes back."""
    laydown = await theatre.seed(db, helicopters=2)
    field = await factories.token(db, "field", laydown.mission_id)
    hang_past_the_limit(monkeypatch)
    client = await aiohttp_client(planner_app(policy="optimized", time_limit_s=0.2, start_method="fork"))
    plan_no = 0
    for n in range(4):  # more hung solves than the planner has workers
        response = await client.post("/v1/evac-requests", data=theatre.radio_call(f"HANG{n}"),
                                     headers=field | {"Content-Type": "text/plain"})
        request = await response.json()
        plan = await next_plan(db, laydown.mission_id, after_no=plan_no)
        plan_no = plan["plan_no"]
        assert plan["fallback"], plan["fallback_reason"]
        assert request["id"] in {r["request_id"] for r in plan["plan"]["recommendations"]}
    assert await fallbacks_counted(client, laydown.mission_id) == plan_no


async def test_requests_are_answered_while_the_fallback_decides_a_surge(aiohttp_client, planner_app, db,
                                                                                monkeypatch):
    """The solver hangs on a mass-casualty board and `closest` decides it (seconds of CPU), while
    the replica goes on answering."""
    laydown = await theatre.seed(db, helicopters=30, spread_deg=2.0)
    await theatre.seed_surge(db, laydown.mission_id, sites=SURGE_SITES)
    field = await factories.token(db, "field", laydown.mission_id)
    hang_the_policy(monkeypatch)
    deciding = SolverCall(monkeypatch, "fallback")
    client = await aiohttp_client(planner_app(settings={"rate_calls_per_minute": 100_000}, policy="optimized",
                                              time_limit_s=0.2, start_method="fork"))
    first = await next_plan(db, laydown.mission_id, timeout=60)  # the start-up plan: a fallback already
    deciding.clear()

    response = await client.post("/v1/evac-requests", data=theatre.radio_call("SURGE-FALLBACK"),
                                 headers=field | {"Content-Type": "text/plain"})
    assert response.status == 201
    answered = await deciding.reads_answered(client, field)  # once the hung solve is given up
    planned = await next_plan(db, laydown.mission_id, after_no=first["plan_no"])
    print({"reads_during_fallback": answered})
    assert planned["fallback"] and planned["fallback_reason"].startswith("optimized failed: TimeoutError")
    assert answered >= READS_WHILE_SOLVING
