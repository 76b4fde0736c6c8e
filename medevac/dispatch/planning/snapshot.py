"""Database rows → the engine's `Snapshot`: the one adapter between the shell and the pure core."""

import uuid
from datetime import datetime, timedelta

import asyncpg
import structlog

from medevac.bounds import ERA, MAX_STANDARD_MIN, usable
from medevac.dispatch.engine.model import AssetState, FacilityState, Landing, Patient, Snapshot, Underway
from medevac.dispatch.evacuations.machine import JOINABLE, LIVE

log = structlog.get_logger(__name__)
UNLOAD_MIN = 10
ESCORT_HOLD_MIN = 60  # after the carrier reaches the pickup: loading, then the flight home (not known here)
# Line 4 lists codes; the engine weighs the most demanding one.
EQUIPMENT_ORDER = ("B", "D", "C", "A")


def equipment_code(codes: list[str]) -> str:
    return next((code for code in EQUIPMENT_ORDER if code in codes), "A")


def patient_from(row: asyncpg.Record) -> Patient:
    reported = row["called_at"]
    injured = row["injured_at"] or reported
    for name, value in (("injury time", injured), ("call time", reported)):
        if not usable(value):  # -infinity comes back without a zone: no sum can use it
            raise ValueError(f"the stored {name} ({value}) is not {ERA}; correct it with PATCH injured_at")
    return Patient(
        id=str(row["id"]), request_id=str(row["request_id"]), injured_at=min(injured, reported),
        reported_at=reported, location={"lat": row["pickup_lat"], "lon": row["pickup_lon"]},
        precedence=row["precedence"], patient_type=row["patient_type"], needs=list(row["needs"]),
        security=row["security"] or "N", special_equipment=equipment_code(list(row["special_equipment"])),
    )


async def waiting_patients(conn: asyncpg.Connection, mission_id: uuid.UUID,
                           request_id: uuid.UUID | None = None) -> tuple[list[Patient], dict[str, str]]:
    """The mission's waiting patients, and the requests whose stored rows cannot be planned with
    (request id → why): such a request loses its recommendation, the mission keeps its planner."""
    rows = await conn.fetch(
        """SELECT c.id, c.request_id, coalesce(c.injured_at, r.injured_at) AS injured_at, r.called_at,
                  r.pickup_lat, r.pickup_lon, c.precedence, c.patient_type, c.needs, r.security,
                  r.special_equipment
           FROM casualties c JOIN evac_requests r ON r.id = c.request_id
           WHERE r.mission_id = $1 AND r.status = 'open' AND c.status = 'waiting'
             AND ($2::uuid IS NULL OR r.id = $2)
           ORDER BY c.request_id, c.ordinal""",
        mission_id, request_id)
    patients, unplannable = [], {}
    for row in rows:
        try:
            patients.append(patient_from(row))
        except (ValueError, TypeError) as error:  # pydantic's ValidationError is a ValueError
            unplannable[str(row["request_id"])] = f"cannot be planned: {error}"[:300]
    if unplannable:
        log.warning("planner.unplannable_requests", mission=str(mission_id), requests=sorted(unplannable))
    dropped = set(unplannable)
    return [p for p in patients if p.request_id not in dropped], unplannable


def asset_from(row: asyncpg.Record, now: datetime, *, as_available: bool = False) -> AssetState:
    state: dict = {"status": "available" if as_available else row["status"]}
    if not as_available and row["live_facility"] is not None:
        eta = row["live_eta"] or now
        state |= {"free_at": max(now, eta + timedelta(minutes=UNLOAD_MIN)),
                  "free_at_facility": str(row["live_facility"])}
    elif not as_available and row["escorting_until"] is not None:  # over a landing zone until the carrier leaves
        state |= {"free_at": max(now, row["escorting_until"] + timedelta(minutes=ESCORT_HOLD_MIN))}
    elif not as_available and row["status"] == "returning":
        state |= {"free_location": {"lat": row["lat"], "lon": row["lon"]}}
    return AssetState(
        id=str(row["id"]), callsign=row["callsign"], kind=row["kind"], role=row["role"],
        base={"lat": row["base_lat"], "lon": row["base_lon"]}, cruise_kmh=row["cruise_kmh"],
        range_km=row["range_km"], litters=row["litters"], seats=row["seats"],
        night_capable=row["night_capable"], hoist=row["hoist"], armed=row["armed"],
        notice_to_move_min={"day": row["notice_to_move_day_min"], "night": row["notice_to_move_night_min"]},
        **state,
    )


ASSETS = """SELECT a.*, e.facility_id AS live_facility, e.eta_facility AS live_eta, e.warnings AS live_warnings,
        (SELECT max(coalesce(g.eta_pickup, now())) FROM evacuations g
         WHERE g.escort_asset_id = a.id AND g.state IN ('tasked', 'airborne', 'at_pickup')) AS escorting_until
    FROM assets a LEFT JOIN evacuations e ON e.asset_id = a.id AND e.state = ANY($2)
    WHERE a.mission_id = $1 AND ($3::uuid IS NULL OR a.id = $3) ORDER BY a.id"""
FACILITIES = """SELECT f.*, coalesce((SELECT sum(beds_reserved) FROM evacuations e
        WHERE e.facility_id = f.id AND e.state = ANY($2)), 0) AS reserved
    FROM facilities f WHERE f.mission_id = $1 AND ($3::uuid IS NULL OR f.id = $3) ORDER BY f.id"""


def facility_from(row: asyncpg.Record) -> FacilityState:
    return FacilityState(
        id=str(row["id"]), name=row["name"], level=row["level"], location={"lat": row["lat"], "lon": row["lon"]},
        capabilities=list(row["capabilities"]), beds=row["beds"], icu_beds=row["icu_beds"],
        operating_tables=row["operating_tables"], helipad=row["helipad"], night_landing=row["night_landing"],
        refuel=row["refuel"], status=row["status"], free_beds=max(0, row["usable_beds"] - row["reserved"]),
    )


async def standards(conn: asyncpg.Connection, mission_id: uuid.UUID) -> dict[str, int]:
    """The mission's standards per precedence; one stored out of bounds leaves the defaults in force."""
    configured = await conn.fetchval("SELECT time_standards FROM missions WHERE id = $1", mission_id) or {}
    return {p: configured[p] for p in "ABCDE"
            if isinstance(configured.get(p), int) and 1 <= configured[p] <= MAX_STANDARD_MIN}


def held_out(row: asyncpg.Record) -> bool:
    """Tasked anyway for a flight the engine judged impossible: where and when it will be free is
    unknown, so it is recommended to no one until that sortie is completed or aborted."""
    return any(w.get("code") == "infeasible" for w in row["live_warnings"] or [])


# Sorties still on their way to the pickup, with what is aboard: a later call from the same landing
# zone may ride along (engine/underway.py). Covered: the carrier is armed or has its escort.
UNDERWAY = """SELECT e.asset_id, e.facility_id, e.eta_pickup, e.eta_facility, r.pickup_lat, r.pickup_lon,
        (e.escort_asset_id IS NOT NULL OR a.armed) AS covered,
        count(c.id) FILTER (WHERE c.patient_type = 'litter') AS litter,
        count(c.id) FILTER (WHERE c.patient_type <> 'litter') AS ambulatory
    FROM evacuations e JOIN evac_requests r ON r.id = e.request_id JOIN assets a ON a.id = e.asset_id
    LEFT JOIN casualties c ON c.evacuation_id = e.id
    WHERE e.mission_id = $1 AND e.state = ANY($2) AND e.eta_pickup IS NOT NULL AND e.eta_facility IS NOT NULL
    GROUP BY e.id, r.id, a.id ORDER BY e.asset_id"""


def underway_from(row: asyncpg.Record, now: datetime) -> Underway:
    """A crew late on its prediction has not landed yet: it lands no earlier than now, and hands
    over as much later."""
    late = max(timedelta(0), now - row["eta_pickup"])
    landing = Landing(location={"lat": row["pickup_lat"], "lon": row["pickup_lon"]}, at=row["eta_pickup"] + late,
                      covered=row["covered"])
    return Underway(asset_id=str(row["asset_id"]), landings=[landing], facility_id=str(row["facility_id"]),
                    handover_at=row["eta_facility"] + late + timedelta(minutes=UNLOAD_MIN),
                    onboard_litter=row["litter"], onboard_ambulatory=row["ambulatory"])


async def load(conn: asyncpg.Connection, mission_id: uuid.UUID, now: datetime) -> tuple[Snapshot, dict[str, str]]:
    """The whole mission as the planner sees it now, and the requests it cannot plan (id → why)."""
    rows = await conn.fetch(ASSETS, mission_id, list(LIVE), None)
    assets, held = [a for a in rows if not held_out(a)], [a for a in rows if held_out(a)]
    facilities = await conn.fetch(FACILITIES, mission_id, list(LIVE), None)
    patients, unplannable = await waiting_patients(conn, mission_id)
    underway = [underway_from(row, now) for row in await conn.fetch(UNDERWAY, mission_id, list(JOINABLE))]
    snap = _snapshot(now, patients, [asset_from(a, now) for a in assets], [facility_from(f) for f in facilities],
                     await standards(conn, mission_id))
    return snap.model_copy(update={"underway": underway, "held_out": [asset_from(a, now) for a in held]}), unplannable


async def load_choice(conn: asyncpg.Connection, mission_id: uuid.UUID, request_id: uuid.UUID,
                      asset_id: uuid.UUID, facility_id: uuid.UUID, now: datetime) -> Snapshot:
    """One request, one asset (as if free now) and one facility: to judge a dispatcher's choice."""
    assets = await conn.fetch(ASSETS, mission_id, list(LIVE), asset_id)
    facilities = await conn.fetch(FACILITIES, mission_id, list(LIVE), facility_id)
    patients, _ = await waiting_patients(conn, mission_id, request_id)
    return _snapshot(now, patients, [asset_from(a, now, as_available=True) for a in assets],
                     [facility_from(f) for f in facilities], await standards(conn, mission_id))


def _snapshot(now, patients, assets, facilities, standards_min: dict[str, int]) -> Snapshot:
    extra = {"standards_min": standards_min} if len(standards_min) == 5 else {}
    return Snapshot(now=now, patients=patients, assets=assets, facilities=facilities, **extra)
