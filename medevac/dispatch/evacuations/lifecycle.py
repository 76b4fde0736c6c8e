"""Drive an evacuation through the state machine: stamp, audit, publish, let the asset follow."""

import uuid
from datetime import datetime, timedelta, timezone

import asyncpg

from medevac.auth import Principal
from medevac.dispatch.assets import store as assets
from medevac.dispatch.evacuations import joining, machine, store
from medevac.dispatch.evacuations.model import Evacuation
from medevac.dispatch.metrics import DispatchMetrics
from medevac.dispatch.requests import store as requests
from medevac.errors import ConfirmationRequired, conflict, invalid, not_found
from medevac.events import record_change
from medevac.facilities import store as facilities
from medevac.geo import distance_km

LOAD_MIN = 10


async def visible(conn: asyncpg.Connection, principal: Principal, evacuation_id: uuid.UUID) -> Evacuation:
    found = await store.get(conn, evacuation_id)
    if found is None:
        raise not_found("evacuation", evacuation_id)
    principal.require_mission(found.mission_id)
    return found


def _flight(asset, a: tuple[float, float], b: tuple[float, float]) -> timedelta:
    km = distance_km(a[0], a[1], b[0], b[1]) * (1.3 if asset.kind == "ground" else 1.0)
    return timedelta(hours=km / asset.cruise_kmh)


async def _etas(conn, evacuation: Evacuation, target: str) -> tuple[datetime | None, datetime | None, tuple | None]:
    """Fresh ETAs from where the asset is now (the inbound board shows them), and its new position."""
    now = datetime.now(timezone.utc)
    asset = await assets.get(conn, evacuation.asset_id)
    request = await requests.get(conn, evacuation.request_id)
    facility = await facilities.get(conn, evacuation.facility_id)
    pickup = (request.pickup.lat, request.pickup.lon)
    hospital = (facility.location.lat, facility.location.lon)
    if target == "airborne":
        at_pickup = now + _flight(asset, (asset.position.lat, asset.position.lon), pickup)
        return at_pickup, at_pickup + timedelta(minutes=LOAD_MIN) + _flight(asset, pickup, hospital), None
    if target in ("at_pickup", "loaded"):
        start = now if target == "loaded" else now + timedelta(minutes=LOAD_MIN)
        return None, start + _flight(asset, pickup, hospital), pickup
    if target == "handed_over":
        return None, None, hospital
    return None, None, None


async def advance(conn: asyncpg.Connection, principal: Principal | None, evacuation: Evacuation, target: str, *,
                  reason: str | None, metrics: DispatchMetrics | None) -> Evacuation:
    step = machine.transition(evacuation.state, target)
    if step is None:
        raise conflict(f"cannot go from {evacuation.state} to {target}; allowed: "
                       f"{', '.join(evacuation.allowed_transitions) or 'none (final)'}",
                       current=evacuation.model_dump(mode="json"))
    if target == "aborted" and not reason:
        raise invalid("reason", "say why the evacuation is aborted")
    eta_pickup, eta_facility, position = await _etas(conn, evacuation, target)
    if not await store.advance(conn, evacuation, step, reason=reason, eta_pickup=eta_pickup,
                               eta_facility=eta_facility):
        latest = await store.get(conn, evacuation.id)
        raise conflict("the evacuation changed meanwhile", current=latest.model_dump(mode="json"))
    await store.follow_asset(conn, evacuation, step.asset_status, position)
    if evacuation.escort_asset_id and target in ("loaded", "aborted"):  # the escort's duty ends
        released = "returning" if target == "loaded" else step.asset_status
        await store.follow_escort(conn, evacuation, released)
        await record_change(conn, principal, event="asset.escort_released", entity="asset",
                            entity_id=evacuation.escort_asset_id, mission_id=evacuation.mission_id,
                            after={"status": released, "escorted": str(evacuation.id)})
    aboard = await store.requests_aboard(conn, evacuation)  # its own request, and any who rode along
    if step.casualties:
        await store.move_casualties(conn, evacuation, step.casualties)
    for request_id in aboard:
        await requests.refresh_status(conn, request_id)
    after = await store.get(conn, evacuation.id)
    await record_change(conn, principal, event=f"evacuation.{target}", entity="evacuation", entity_id=evacuation.id,
                        mission_id=evacuation.mission_id, before=evacuation.model_dump(mode="json"),
                        after=after.model_dump(mode="json"))
    if metrics:
        _observe(metrics, after, target)
    return after


def _observe(metrics: DispatchMetrics, evacuation: Evacuation, target: str) -> None:
    elapsed = evacuation.elapsed_s
    labels = (evacuation.mission_id, evacuation.precedence, evacuation.asset_kind)
    stage = {"airborne": "airborne", "at_pickup": "pickup", "handed_over": "handover"}.get(target)
    if stage:
        metrics.observe_stage(stage, *labels, elapsed[f"call_to_{stage}"])
    if target == "handed_over":
        metrics.observe_care(*labels, elapsed["injury_to_care"])


async def reassign(conn: asyncpg.Connection, principal: Principal, evacuation: Evacuation, *, asset_id: uuid.UUID,
                   facility_id: uuid.UUID, accept_warnings: bool, reason: str,
                   metrics: DispatchMetrics | None, without_escort: bool = False) -> Evacuation:
    """Abort this sortie and task another asset/facility for the same casualties, atomically."""
    from medevac.dispatch.evacuations import tasking

    if evacuation.state not in machine.REASSIGNABLE:
        raise conflict(f"cannot reassign once {evacuation.state}", current=evacuation.model_dump(mode="json"))
    aborted = await advance(conn, principal, evacuation, "aborted", reason=reason, metrics=None)
    request = await requests.get(conn, evacuation.request_id)
    choice = await tasking.judge(conn, request, asset_id, facility_id, None, without_escort)
    if choice.warnings and not accept_warnings:
        raise ConfirmationRequired(choice.warnings, name_field=False)
    own = {c.id for c in request.casualties}
    choice.casualty_ids = [c for c in evacuation.casualty_ids if c in own]
    replacement = await tasking.task(conn, principal, request, choice, approval="manual", metrics=None)
    riders = [c for c in evacuation.casualty_ids if c not in own]
    if riders:  # those who rode along go with the replacement, room permitting
        replacement = await _carry_riders(conn, principal, replacement, riders)
    await store.mark_replaced(conn, aborted.id, replacement.id)
    return replacement


async def _carry_riders(conn: asyncpg.Connection, principal: Principal, replacement: Evacuation,
                        riders: list[uuid.UUID]) -> Evacuation:
    rows = await conn.fetch("SELECT id, request_id FROM casualties WHERE id = ANY($1)", riders)
    by_request: dict[uuid.UUID, list[uuid.UUID]] = {}
    for row in rows:
        by_request.setdefault(row["request_id"], []).append(row["id"])
    for request_id, ids in by_request.items():
        if await joining.board(conn, replacement, request_id, ids):
            raise conflict(f"the new aircraft has no room for the {len(riders)} who rode along, so nothing "
                           "was reassigned; choose a larger aircraft", current=replacement.model_dump(mode="json"))
        await requests.refresh_status(conn, request_id)
    return await store.get(conn, replacement.id)
