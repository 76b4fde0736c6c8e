"""`GET /v1/facilities/{id}/inbound`: what is heading to this facility, with ETAs and handover notes.

Beds are reserved from tasking until handover (a live evacuation's `beds_reserved`), so the
planner never sends two sorties to the last bed; the board shows both figures.
"""

import uuid
from datetime import datetime, timedelta, timezone

import asyncpg
from aiohttp import web

from medevac import privacy
from medevac.auth import ROLES
from medevac.dispatch.evacuations.machine import LIVE
from medevac.dispatch.evacuations.model import Inbound, InboundBoard
from medevac.errors import not_found
from medevac.facilities import store as facilities
from medevac.geo import distance_km
from medevac.http.web import Call, RouteTable

LOAD_MIN = 10

routes = RouteTable("facilities")


async def board(conn: asyncpg.Connection, facility_id: uuid.UUID, usable_beds: int) -> InboundBoard:
    rows = await conn.fetch(
        """SELECT e.id, e.request_id, e.state, e.asset_id, a.callsign, e.asset_kind, e.eta_facility,
                  e.beds_reserved, a.lat, a.lon, a.cruise_kmh, r.pickup_lat, r.pickup_lon, f.lat AS f_lat,
                  f.lon AS f_lon,
                  coalesce((SELECT jsonb_agg(jsonb_build_object(
                                'id', c.id, 'precedence', c.precedence, 'patient_type', c.patient_type,
                                'needs', c.needs, 'mist', c.mist, 'injured_at', c.injured_at) ORDER BY c.ordinal)
                            FROM casualties c WHERE c.evacuation_id = e.id), '[]'::jsonb) AS casualties
           FROM evacuations e JOIN assets a ON a.id = e.asset_id JOIN evac_requests r ON r.id = e.request_id
                JOIN facilities f ON f.id = e.facility_id
           WHERE e.facility_id = $1 AND e.state = ANY($2)
           ORDER BY e.eta_facility NULLS LAST, e.tasked_at""",
        facility_id, list(LIVE))
    now = datetime.now(timezone.utc)
    inbound = [Inbound(evacuation_id=r["id"], request_id=r["request_id"], state=r["state"], asset_id=r["asset_id"],
                       callsign=r["callsign"], asset_kind=r["asset_kind"],
                       eta_facility=r["eta_facility"] or estimated_eta(r, now), eta_estimated=r["eta_facility"] is None,
                       beds_reserved=r["beds_reserved"], casualties=r["casualties"]) for r in rows]
    return InboundBoard(facility_id=facility_id, usable_beds=usable_beds,
                        beds_reserved=sum(i.beds_reserved for i in inbound), inbound=inbound)


def estimated_eta(row: asyncpg.Record, now: datetime) -> datetime:
    """No planned ETA (the engine could not plan the tasking): from where the aircraft is now, via the
    pickup (unless aboard already), straight, at cruise speed: better than no time at all."""
    km = distance_km(row["pickup_lat"], row["pickup_lon"], row["f_lat"], row["f_lon"])
    load = timedelta(0)
    if row["state"] in ("tasked", "airborne"):
        km += distance_km(row["lat"], row["lon"], row["pickup_lat"], row["pickup_lon"])
        load = timedelta(minutes=LOAD_MIN)
    road = 1.3 if row["asset_kind"] == "ground" else 1.0
    return now + load + timedelta(hours=km * road / row["cruise_kmh"])


@routes.get("/v1/facilities/{facility_id}/inbound",
            summary="Evacuations heading to this facility: ETA, beds reserved and MIST-AT handover notes",
            roles=frozenset(ROLES), response=InboundBoard)
async def inbound(call: Call) -> InboundBoard:
    facility_id = call.uuid_param("facility_id", "facility")
    found = await facilities.get(call.conn, facility_id)
    if found is None:
        raise not_found("facility", facility_id)
    call.principal.require_mission(found.mission_id)
    board_rows = await board(call.conn, facility_id, found.usable_beds)
    [shown] = await privacy.shown(call.conn, call.principal, [board_rows],
                                  entity="facility_inbound", purpose="handover",
                                  ident=lambda b: (b.facility_id, found.mission_id))
    withheld = call.principal.role not in privacy.PATIENT_READERS and any(
        c.get("mist") for i in board_rows.inbound for c in i.casualties)
    return shown.model_copy(update={"notes_withheld": withheld})
