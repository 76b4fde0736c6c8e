"""One re-plan of one mission: lock, snapshot, solve in a worker process, store, announce, auto-task.

Serialised per mission with a transaction-scoped advisory lock, so replicas never plan the
same mission at once. A plan records `based_on_seq`, the last event its snapshot had seen; a
replica that waited for the lock skips a trigger already covered, so no event is lost and
none is planned twice.
"""

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import asyncpg
import structlog

from medevac.dispatch.engine.model import Plan, Recommendation, Snapshot
from medevac.dispatch.metrics import DispatchMetrics
from medevac.dispatch.planning import snapshot
from medevac.dispatch.planning import store as plans
from medevac.dispatch.planning.auto import auto_task
from medevac.dispatch.planning.rides import ride_alongs
from medevac.dispatch.planning.workers import SolverWorkers
from medevac.events import publish

log = structlog.get_logger(__name__)

PLAN_LOCK = 0x706C_616E  # "plan": the first half of the (class, mission) advisory lock key
GRACE_S = 1.0  # past the time limit, the solve is killed and the fallback decides
FALLBACK_LIMIT_S = 10.0  # the fallback is fast; past this the re-plan fails, rolls back and is retried


@dataclass(frozen=True)
class Deferred:
    """Too soon after the current plan: ask again in `wait_s` (the trigger is kept, not dropped)."""

    wait_s: float


def mission_lock_key(mission_id: uuid.UUID) -> int:
    return int.from_bytes(mission_id.bytes[:4], "big", signed=True)


async def solve(workers: SolverWorkers, policy: str, snap: Snapshot, time_limit_s: float,
                previous: Plan | None) -> Plan:
    """The policy in a worker process; if it overruns (killed), crashes or its worker dies, the
    `closest` plan marked as a fallback with the reason."""
    try:
        return await asyncio.wait_for(workers.solve(policy, snap, time_limit_s, previous), time_limit_s + GRACE_S)
    except Exception as error:  # noqa: BLE001 — a decision must come back whatever happened
        log.warning("planner.fallback", policy=policy, error=repr(error))
        plan = await asyncio.wait_for(workers.fallback(snap), FALLBACK_LIMIT_S)
        return plan.model_copy(update={"fallback": True, "fallback_reason": f"{policy} failed: {error!r}"[:300]})


def with_unplannable(plan: Plan, unplannable: dict[str, str]) -> Plan:
    """The plan with a recommendation for each request left out of it, saying why, so the dispatcher
    sees the reason where the recommendation would be (and can still choose an asset by hand)."""
    if not unplannable:
        return plan
    shown = [Recommendation(request_id=request_id, patients=[], unservable_in_time=reason)
             for request_id, reason in sorted(unplannable.items())]
    return plan.model_copy(update={"recommendations": plan.recommendations + shown})


IDS = {"request_id", "asset_id", "facility_id"}


def announcement(plan_no: int, plan: Plan, based_on_seq: int, trigger: str, previous: Plan | None) -> dict:
    """`plan.updated`: what changed since the previous plan, in ids. Every console re-reads the
    board on this event; the whole plan (hundreds of recommendations and unassigned patients with
    their reasons in a mass-casualty hour) went to each of 500 consoles on every re-plan, tens of
    MB a plan. Folding `recommendations` in and dropping `withdrawn` gives the current plan's ids."""
    before = {r.request_id: r.model_dump(mode="json", include=IDS) for r in previous.recommendations} \
        if previous is not None else {}
    now = {r.request_id: r.model_dump(mode="json", include=IDS) for r in plan.recommendations}
    return {"plan_no": plan_no, "policy": plan.policy, "fallback": plan.fallback,
            "fallback_reason": plan.fallback_reason, "solve_ms": plan.solve_ms, "based_on_seq": based_on_seq,
            "trigger": trigger, "now": plan.now, "unassigned_patients": len(plan.unassigned),
            "recommendations": [r for request_id, r in now.items() if before.get(request_id) != r],
            "withdrawn": [request_id for request_id in before if request_id not in now]}


async def replan(
    conn: asyncpg.Connection, workers: SolverWorkers, mission_id: uuid.UUID, *, trigger_seq: int | None,
    trigger: str, policy: str, time_limit_s: float, planned_by: str, metrics: DispatchMetrics | None,
    min_age_s: float = 0.0, settle_s: float = 0.0, pace: float = 0.0,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> int | None | Deferred:
    """Plan the mission unless a stored plan already covers the trigger; the new plan_no or None.

    A tick (`trigger_seq` None) is dropped while the current plan is younger than `min_age_s`.
    An event trigger is deferred until the current plan is `settle_s` old and has rested `pace`
    times its own solve, so one mission's planner uses at most 1/(1 + pace) of a core however
    fast events arrive; the rest is read from the stored plan, so it holds across replicas."""
    started = time.perf_counter()
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", PLAN_LOCK, mission_lock_key(mission_id))
        current = await plans.current(conn, mission_id)
        if current is not None:
            if trigger_seq is not None and current["based_on_seq"] >= trigger_seq:
                return None
            age = (clock() - current["created_at"]).total_seconds()
            if trigger_seq is None and age < min_age_s:
                return None
            wait_s = max(settle_s, pace * (current["solve_ms"] or 0) / 1000) - age
            if trigger_seq is not None and wait_s > 0:
                return Deferred(wait_s)
        based_on_seq = await conn.fetchval("SELECT coalesce(max(seq), 0) FROM events")
        snap, unplannable = await snapshot.load(conn, mission_id, clock())
        previous = Plan.model_validate(current["plan"]) if current is not None else None
        solving = time.perf_counter()
        plan = with_unplannable(await solve(workers, policy, snap, time_limit_s, previous), unplannable)
        plan = await ride_alongs(conn, plan, snap)
        # What the mission's planner was busy for, as pacing counts it: the engine's own time, or
        # the wall time with the trip to the worker (pickling hundreds of patients) and an overrun.
        wall_ms = (time.perf_counter() - solving) * 1000
        plan = plan.model_copy(update={"solve_ms": round(max(plan.solve_ms, wall_ms), 1)})
        plan_no = await plans.save(conn, mission_id, plan, based_on_seq=based_on_seq, planned_by=planned_by)
        await publish(conn, mission_id=mission_id, type="plan.updated", entity="plan", entity_id=mission_id,
                      payload=announcement(plan_no, plan, based_on_seq, trigger, previous))
        tasked = await auto_task(conn, mission_id, plan, metrics)
    if metrics:
        metrics.planner_latency.labels(str(mission_id), plan.policy).observe(time.perf_counter() - started)
        metrics.plans.labels(str(mission_id), trigger).inc()
        if plan.fallback:
            metrics.planner_fallbacks.labels(str(mission_id)).inc()
    log.info("plan.updated", mission=str(mission_id), plan_no=plan_no, trigger=trigger, fallback=plan.fallback,
             solve_ms=plan.solve_ms, auto_tasked=tasked)
    return plan_no
