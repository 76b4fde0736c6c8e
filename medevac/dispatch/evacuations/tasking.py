"""Approval and tasking: judge the choice, then task in one conditional update.

Manual approval takes the recommendation (or the dispatcher's own asset and facility, with
warnings when it is worse or infeasible). Auto-approval (mission `approval: auto`) uses the
same path with stricter rules, see `auto_approvable`.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import asyncpg

from medevac import privacy
from medevac.auth import Principal
from medevac.dispatch.assets import store as assets
from medevac.dispatch.engine.model import Plan
from medevac.dispatch.engine.policies import get_policy
from medevac.dispatch.evacuations import escorting, joining, store
from medevac.dispatch.evacuations.model import Evacuation
from medevac.dispatch.metrics import DispatchMetrics
from medevac.dispatch.planning import snapshot
from medevac.dispatch.planning import store as plans
from medevac.dispatch.requests import store as requests
from medevac.dispatch.requests.model import EvacRequest
from medevac.errors import ConfirmationRequired, DomainError, FieldError, Problem, conflict, not_found
from medevac.events import publish, record_change
from medevac.facilities import store as facilities

TASKABLE = ("available", "returning")
REQUEST = "evac_request"  # the audit's name for a request whose patient details a 409 shows
# An asset's status in the officer's words ("UNO 21 is in maintenance").
STATUS_WORDS = {"tasked": "tasked", "maintenance": "in maintenance", "crew_rest": "on crew rest",
                "weather_hold": "on weather hold", "returning": "returning", "available": "available"}


@dataclass
class Choice:
    asset_id: uuid.UUID
    facility_id: uuid.UUID
    recommended: bool
    casualty_ids: list[uuid.UUID]
    eta_pickup: datetime | None
    eta_facility: datetime | None
    warnings: list[dict[str, str]]
    escort_asset_id: uuid.UUID | None = None  # the armed escort of an unarmed carrier at a line 6 X pickup
    unescorted: bool = False  # an unarmed carrier at a line 6 X pickup, without an escort by the officer's decision


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def from_recommendation(request: EvacRequest, rec: dict[str, Any] | None,
                        group: uuid.UUID | None = None) -> Choice:
    """The recommendation's first aircraft (or the aircraft `group`) and the waiting patients it takes."""
    if not rec or not rec.get("asset_id") or not rec.get("facility_id"):
        why = (rec or {}).get("unservable_in_time") or "no plan has covered this request yet"
        raise conflict(f"nothing to approve: {why}; choose an asset and facility",
                       recommendation=rec)
    asset_id = str(group) if group else rec["asset_id"]
    waiting = {str(c.id) for c in request.casualties if c.status == "waiting"}
    mine = [p for p in rec["patients"] if p.get("asset_id") == asset_id and p["patient_id"] in waiting]
    # The plan may give one aircraft a second trip: only its first trip can be tasked now.
    first_trip = min((p.get("at_facility") or "" for p in mine), default=None)
    mine = [p for p in mine if (p.get("at_facility") or "") == first_trip]
    main = asset_id == rec["asset_id"]
    facility_id = rec["facility_id"] if main or not mine else mine[0]["facility_id"]
    at_facility = rec.get("at_facility") if main or not mine else mine[0].get("at_facility")
    escort = rec.get("escort_asset_id") if main else None  # line 6 X: the pair is one decision
    return Choice(uuid.UUID(asset_id), uuid.UUID(facility_id), True, [uuid.UUID(p["patient_id"]) for p in mine],
                  _when(rec.get("at_pickup")) if main else None, _when(at_facility), [],
                  uuid.UUID(escort) if escort else None)


def require_as_shown(choice: Choice, shown: Any, rec: dict[str, Any] | None) -> None:
    """The console approves what it shows: a re-plan since then is a 409, never a silent swap."""
    if shown is None:
        return
    if (choice.asset_id, choice.facility_id, set(choice.casualty_ids)) != (
            shown.asset_id, shown.facility_id, set(shown.casualty_ids)):
        raise conflict("the plan changed after your screen showed it, so nothing was tasked; "
                       "check the new recommendation and approve again",
                       code="recommendation_changed", recommendation=rec)


async def judge(conn: asyncpg.Connection, request: EvacRequest, asset_id: uuid.UUID, facility_id: uuid.UUID,
                rec: dict[str, Any] | None, without_escort: bool = False) -> Choice:
    """Evaluate the dispatcher's own choice with the engine: block what cannot fly, warn what is worse;
    an unarmed helicopter for a line 6 X pickup gets the escort the engine pairs (escorting.py)."""
    asset = await assets.get(conn, asset_id)
    if asset is None or asset.mission_id != request.mission_id:
        raise DomainError("no such asset in this mission", [FieldError("asset_id", "unknown")])
    facility = await facilities.get(conn, facility_id)
    if facility is None or facility.mission_id != request.mission_id:
        raise DomainError("no such facility in this mission", [FieldError("facility_id", "unknown")])
    if asset.status not in TASKABLE:
        raise conflict(f"{asset.callsign} is {STATUS_WORDS[asset.status]} now, so nothing was tasked",
                       code="asset_not_free", asset=asset.model_dump(mode="json"))
    if facility.status == "closed":
        raise conflict(f"facility {facility.name} is closed", facility=facility.model_dump(mode="json"))
    now = datetime.now(timezone.utc)
    single = await snapshot.load_choice(conn, request.mission_id, request.id, asset_id, facility_id, now)
    if not single.patients and not await conn.fetchval(
            "SELECT count(*) FROM casualties WHERE request_id = $1 AND status = 'waiting'", request.id):
        raise await _lost_race(conn, request.id, asset_id)  # taken since this request was read: a race, not a warning
    escorted = escorting.needs_escort(request.security, asset)
    if escorted:
        single = escorting.unescorted(single) if without_escort else \
            await escorting.with_escorts(conn, single, request.mission_id, asset_id, now)
    plan = get_policy("closest").plan(single, time_limit_s=0.5)
    escort = escorting.escort_of(plan, str(asset_id), asset.callsign) if escorted and not without_escort else None
    mine = next((r for r in plan.recommendations if r.request_id == str(request.id)), None)
    warnings = _warnings(plan, mine, rec, facility.name)
    aboard = [uuid.UUID(p.patient_id) for p in mine.patients if p.asset_id] if mine and mine.asset_id else []
    if not aboard:  # infeasible for the engine: the dispatcher may still send it, everyone waiting who fits
        aboard = _fits(request, asset.litters, asset.seats)
    recommended = bool(rec) and rec.get("asset_id") == str(asset_id) and rec.get("facility_id") == str(facility_id)
    return Choice(asset_id, facility_id, recommended, aboard, mine.at_pickup if mine else None,
                  mine.at_facility if mine else None, [] if recommended else warnings,
                  uuid.UUID(escort) if escort else None, escorted and without_escort)


def _warnings(plan: Plan, mine, rec: dict[str, Any] | None, facility_name: str) -> list[dict[str, str]]:
    out = []
    if mine is None or mine.asset_id is None:
        reasons = "; ".join(sorted(set(plan.unassigned.values()))) or (mine.unservable_in_time if mine else "")
        out.append({"code": "infeasible", "message": f"the engine cannot plan this choice: {reasons or 'unknown'}"})
        return out
    if mine.margin_min is not None and mine.margin_min < 0:
        out.append({"code": "late", "message": f"predicted {-mine.margin_min:.0f} min past the time standard"})
    if rec and rec.get("margin_min") is not None and mine.margin_min is not None \
            and mine.margin_min < rec["margin_min"] - 1:
        out.append({"code": "worse", "message":
                    f"{rec['margin_min'] - mine.margin_min:.0f} min later than the recommendation"})
    if any(p.asset_id is None for p in mine.patients):
        out.append({"code": "capacity", "message": "not every waiting casualty fits aboard"})
    return out


def _fits(request: EvacRequest, litters: int, seats: int) -> list[uuid.UUID]:
    taken, litter_used, total = [], 0, 0
    for c in sorted((c for c in request.casualties if c.status == "waiting"), key=lambda c: c.precedence):
        litter = c.patient_type == "litter"
        if (litter and litter_used >= litters) or total >= litters + seats:
            continue
        litter_used += litter
        total += 1
        taken.append(c.id)
    return taken


async def task(conn: asyncpg.Connection, principal: Principal | None, request: EvacRequest, choice: Choice, *,
               approval: str, metrics: DispatchMetrics | None) -> Evacuation:
    """Task in one conditional update; 409 with the current state when someone else won."""
    if not choice.casualty_ids:
        raise conflict("no casualty of this request is waiting for an asset", request=request.model_dump(mode="json"),
                       shows=privacy.shows([request], entity=REQUEST))
    lead = min(c.precedence for c in request.casualties if c.id in set(choice.casualty_ids))
    evacuation = await store.task(
        conn, mission_id=request.mission_id, request_id=request.id, asset_id=choice.asset_id,
        facility_id=choice.facility_id, casualty_ids=choice.casualty_ids, approval=approval,
        approved_by=principal.user if principal else "system:auto-approval", recommended=choice.recommended,
        warnings=choice.warnings + ([escorting.UNESCORTED] if choice.unescorted else []), precedence=lead,
        eta_pickup=choice.eta_pickup, eta_facility=choice.eta_facility,
        escort_asset_id=choice.escort_asset_id,
    )
    if evacuation is None:
        raise await _lost_race(conn, request.id, choice.asset_id, choice.escort_asset_id)
    await requests.refresh_status(conn, request.id)
    after = evacuation.model_dump(mode="json")
    await record_change(conn, principal, event="evacuation.tasked", entity="evacuation", entity_id=evacuation.id,
                        mission_id=evacuation.mission_id, after=after)
    if choice.unescorted:
        await record_change(conn, principal, event="evacuation.unescorted", entity="evacuation",
                            entity_id=evacuation.id, mission_id=evacuation.mission_id,
                            after={"security": "X", "asset_id": str(evacuation.asset_id), "escort": None})
    if evacuation.escort_asset_id:
        await record_change(conn, principal, event="asset.escort_tasked", entity="asset",
                            entity_id=evacuation.escort_asset_id, mission_id=evacuation.mission_id,
                            after={"status": "tasked", "escorting": str(evacuation.id)})
    await prealert(conn, evacuation, request)
    if metrics:
        metrics.observe_stage("tasked", evacuation.mission_id, lead, evacuation.asset_kind,
                              evacuation.elapsed_s["call_to_tasked"])
    return evacuation


async def _lost_race(conn: asyncpg.Connection, request_id: uuid.UUID, asset_id: uuid.UUID,
                     escort_id: uuid.UUID | None = None) -> Problem:
    asset = await assets.get(conn, asset_id)
    holding = await store.live_for_asset(conn, asset_id)
    request = await requests.get(conn, request_id)
    current = {"asset": asset.model_dump(mode="json") if asset else None,
               "evacuation": holding.model_dump(mode="json") if holding else None,
               "request": request.model_dump(mode="json") if request else None}
    if escort_id is not None:
        escort = await assets.get(conn, escort_id)
        escorting = await store.live_for_asset(conn, escort_id)
        current |= {"escort": escort.model_dump(mode="json") if escort else None,
                    "escort_evacuation": escorting.model_dump(mode="json") if escorting else None}
    what = "the aircraft, its escort" if escort_id else "the aircraft"
    return conflict(
        f"already tasked: {what} or these patients were taken by another approval, so nothing was "
        "tasked; check the board and approve again", code="lost_race", current=current,
        shows=privacy.shows([request] if request else [], entity=REQUEST))


async def prealert(conn: asyncpg.Connection, evacuation: Evacuation, request: EvacRequest) -> None:
    """Warn the receiving facility: who is coming, when, and the MIST-AT handover."""
    aboard = set(evacuation.casualty_ids)
    await publish(conn, mission_id=evacuation.mission_id, type="facility.prealert", entity="facility",
                  entity_id=evacuation.facility_id, payload={
                      "facility_id": str(evacuation.facility_id), "evacuation_id": str(evacuation.id),
                      "asset_id": str(evacuation.asset_id), "eta_facility": evacuation.eta_facility,
                      "beds_reserved": evacuation.beds_reserved, "precedence": evacuation.precedence,
                      "casualties": [c.model_dump(mode="json", include={"id", "precedence", "patient_type",
                                                                        "needs", "mist", "injured_at"})
                                     for c in request.casualties if c.id in aboard],
                  })


async def approve(conn: asyncpg.Connection, principal: Principal, request_id: uuid.UUID, *,
                  asset_id: uuid.UUID | None, facility_id: uuid.UUID | None, accept_warnings: bool,
                  metrics: DispatchMetrics | None, shown: Any = None, without_escort: bool = False) -> Evacuation:
    request = await requests.get(conn, request_id)
    if request is None:
        raise not_found("evac request", request_id)
    principal.require_mission(request.mission_id)
    if request.status != "open":
        raise conflict(f"this request is {request.status} now, so nothing more was tasked",
                       code=f"request_{request.status}", current=request.model_dump(mode="json"),
                       shows=privacy.shows([request], entity=REQUEST))
    rec, _ = await plans.recommendation(conn, request.mission_id, request.id)
    if (asset_id is None) != (facility_id is None):
        raise DomainError("name both asset_id and facility_id, or neither",
                          [FieldError("asset_id" if asset_id is None else "facility_id", "required with the other")])
    ride = joining.ride_chosen(rec, shown) if asset_id is None else None
    if ride is not None:  # aboard the aircraft already on its way to this landing zone
        return await joining.join(conn, principal, request, ride)
    if asset_id is None:
        choice = from_recommendation(request, rec, shown.asset_id if shown else None)
        require_as_shown(choice, shown, rec)
        await _require_taskable(conn, choice.asset_id)
        if choice.escort_asset_id:
            await _require_taskable(conn, choice.escort_asset_id, "recommended escort")
    else:
        choice = await judge(conn, request, asset_id, facility_id, rec, without_escort)
    if choice.warnings and not accept_warnings:
        raise ConfirmationRequired(choice.warnings)
    return await task(conn, principal, request, choice, approval="manual", metrics=metrics)


async def _require_taskable(conn: asyncpg.Connection, asset_id: uuid.UUID, role: str = "recommended asset") -> None:
    asset = await assets.get(conn, asset_id)
    if asset is None or asset.status not in TASKABLE:
        name, status = (asset.callsign, STATUS_WORDS[asset.status]) if asset else (f"the {role}", "gone")
        escort = " (the escort)" if "escort" in role else ""
        raise conflict(f"{name}{escort} is {status} now, so nothing was tasked", code="asset_not_free",
                       asset=asset.model_dump(mode="json") if asset else None)
