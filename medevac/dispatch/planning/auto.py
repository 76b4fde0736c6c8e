"""Auto-approval (mission `approval: auto`): task urgent requests the moment a plan covers them.

Why it stays safe:
- only urgent and urgent-surgical requests (precedence A or B), where waiting for a human
  costs lives (UN approval chains have cost hours);
- only the engine's own recommendation, which already obeys every hard rule (capability,
  night, range, capacity, hoist, armed escort, facility open with beds);
- only an asset that is `available` now, and never when line 6 reports enemy at the pickup
  (`E` or `X`): whether and how to go in under fire stays a human decision;
- in the same transaction and under the same per-mission lock as the plan it comes from, so
  it acts on exactly the state the plan saw, and through the same conditional tasking update
  as a human approval: a concurrent human approval wins or loses cleanly, never doubles;
- audited as the system with `approval: auto`, announced like any tasking, and the
  dispatcher can abort or reassign at once;
- a ride along (casualties put aboard an aircraft already tasked to their landing zone) is
  approved the same way, through the same locked join as a human's, audited as
  `evacuation.joined` by the system: the aircraft lands there anyway.
"""

import uuid

import asyncpg
import structlog

from medevac.dispatch.engine.model import Plan, Recommendation
from medevac.dispatch.evacuations import joining, tasking
from medevac.dispatch.metrics import DispatchMetrics
from medevac.dispatch.requests import store as requests
from medevac.errors import DomainError, Problem

log = structlog.get_logger(__name__)

URGENT = ("A", "B")
HOSTILE = ("E", "X")


def candidates(plan: Plan) -> list[Recommendation]:
    """Recommendations auto-approval may act on, most urgent first."""
    found = [r for r in plan.recommendations
             if r.asset_id and r.facility_id and r.patients and min(p.precedence for p in r.patients) in URGENT]
    found.sort(key=lambda r: (min(p.precedence for p in r.patients), r.margin_min or 0))
    # A ride along takes no free aircraft from anyone: after the taskings (its request decides urgency).
    return found + [r for r in plan.recommendations if r.ride_along and not r.asset_id]


async def auto_task(conn: asyncpg.Connection, mission_id: uuid.UUID, plan: Plan,
                    metrics: DispatchMetrics | None) -> int:
    if await conn.fetchval("SELECT approval FROM missions WHERE id = $1", mission_id) != "auto":
        return 0
    tasked = 0
    for rec in candidates(plan):
        request = await requests.get(conn, uuid.UUID(rec.request_id))
        if request is None or request.status != "open" or request.security in HOSTILE:
            continue
        if rec.asset_id is None:  # only a ride along
            if request.lead_precedence in URGENT:
                ride = rec.ride_along.model_dump(mode="json")
                await _attempt(rec, conn, lambda: joining.join(conn, None, request, ride))
            continue
        status = await conn.fetchval("SELECT status FROM assets WHERE id = $1", uuid.UUID(rec.asset_id))
        if status != "available":
            continue
        choice = tasking.from_recommendation(request, rec.model_dump(mode="json"))
        evacuation = await _attempt(rec, conn, lambda: tasking.task(conn, None, request, choice, approval="auto",
                                                                    metrics=metrics))
        if evacuation is None:
            continue
        tasked += 1
        if metrics:
            metrics.auto_tasked.labels(str(mission_id), evacuation.precedence).inc()
    return tasked


async def _attempt(rec: Recommendation, conn: asyncpg.Connection, approve):
    """One approval in a savepoint: a refusal or a lost race leaves the plan intact and is logged."""
    try:
        async with conn.transaction():
            return await approve()
    except (Problem, DomainError) as problem:
        log.info("auto_approval.skipped", request=rec.request_id, reason=problem.detail)
        return None
