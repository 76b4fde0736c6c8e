"""Riding along, as the officer sees it: the plan's joins (engine/underway.py) become the
recommendation of each request whose patients board an aircraft already tasked to their landing
zone, in words, with the live evacuation that approving adds them to."""

import uuid
from datetime import datetime, timezone

import asyncpg

from medevac.dispatch.engine.model import Join, Plan, Recommendation, RideAlong, Snapshot
from medevac.dispatch.evacuations.machine import JOINABLE


def zulu(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%H:%MZ")


def summary(callsign: str, at_pickup: datetime, facility: str, n: int) -> str:
    return (f"Ride along with {callsign} (already tasked to this landing zone, lands {zulu(at_pickup)}, "
            f"to {facility}): {n} more aboard")


def _ride(join: Join, patient_ids: list[str], snap: Snapshot, evacuation_id: str | None, facility: str) -> RideAlong:
    callsign = next((a.callsign for a in snap.assets if a.id == join.asset_id), "the tasked aircraft")
    patients = [p for p in snap.patients if p.id in set(patient_ids)]
    margins = [snap.standards_min[p.precedence] - (join.handover_at - p.injured_at).total_seconds() / 60
               for p in patients]
    return RideAlong(evacuation_id=evacuation_id, asset_id=join.asset_id, callsign=callsign,
                     facility_id=join.facility_id, facility_name=facility, at_pickup=join.at_pickup,
                     handover_at=join.handover_at, patient_ids=patient_ids,
                     margin_min=round(min(margins), 1) if margins else None,
                     summary=summary(callsign, join.at_pickup, facility, len(patient_ids)))


def with_rides(plan: Plan, snap: Snapshot, evacuations: dict[str, str], facilities: dict[str, str]) -> Plan:
    """The plan with each joined request's ride along on its recommendation (one made for a request
    wholly aboard, the policy's kept for a request partly aboard: its other patients need a sortie)."""
    request_of = {p.id: p.request_id for p in snap.patients}
    rides: dict[str, RideAlong] = {}
    for join in plan.joins:
        by_request: dict[str, list[str]] = {}
        for pid in join.patient_ids:
            by_request.setdefault(request_of[pid], []).append(pid)
        for request_id, ids in by_request.items():
            rides.setdefault(request_id, _ride(join, ids, snap, evacuations.get(join.asset_id),
                                               facilities.get(join.facility_id, "its facility")))
    if not rides:
        return plan
    recs = [r.model_copy(update={"ride_along": rides.pop(r.request_id)}) if r.request_id in rides else r
            for r in plan.recommendations]
    recs += [Recommendation(request_id=rid, patients=[], margin_min=ride.margin_min,
                            on_time=ride.margin_min is not None and ride.margin_min >= 0, ride_along=ride)
             for rid, ride in rides.items()]
    return plan.model_copy(update={"recommendations": recs})


async def ride_alongs(conn: asyncpg.Connection, plan: Plan, snap: Snapshot) -> Plan:
    """`with_rides`, with the live evacuations and facility names read from the database."""
    if not plan.joins:
        return plan
    assets = list({uuid.UUID(j.asset_id) for j in plan.joins})
    evacuations = dict(await conn.fetch(
        "SELECT asset_id::text, id::text FROM evacuations WHERE asset_id = ANY($1) AND state = ANY($2)",
        assets, list(JOINABLE)))
    facilities = dict(await conn.fetch("SELECT id::text, name FROM facilities WHERE id = ANY($1)",
                                       list({uuid.UUID(j.facility_id) for j in plan.joins})))
    return with_rides(plan, snap, evacuations, facilities)
