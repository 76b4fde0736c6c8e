"""Trace records (DESIGN §4), JSON lines with ISO 8601 UTC times, so anyone can replay the physics."""

import json
from datetime import datetime

from medevac.dispatch.engine.model import Plan, Sortie
from medevac.dispatch.scenario import Location
from medevac.geo import iso


def point(location: Location) -> dict:
    return {"lat": location.lat, "lon": location.lon}


def leg(asset_id: str, origin: Location, destination: Location, depart: datetime, arrive: datetime,
        onboard: list[str], escorting: str | None = None) -> dict:
    record = {"type": "leg", "asset": asset_id, "from": point(origin), "to": point(destination),
              "depart": iso(depart), "arrive": iso(arrive), "onboard": list(onboard)}
    if escorting is not None:
        record["escorting"] = escorting
    return record


def handover(casualty_id: str, facility_id: str, at: datetime) -> dict:
    return {"type": "handover", "casualty": casualty_id, "facility": facility_id, "at": iso(at)}


def dispatch(at: datetime, plan: Plan, sortie: Sortie) -> dict:
    return {"type": "dispatch", "at": iso(at), "policy": plan.policy, "asset": sortie.asset_id,
            "pickup": point(sortie.pickup), "facility": sortie.facility_id,
            "casualties": list(sortie.patient_ids), "wheels_up": iso(sortie.wheels_up),
            "predicted_handover": iso(sortie.handover_at), "fallback": plan.fallback,
            "solve_ms": plan.solve_ms, "candidate": plan.candidate,
            "stops": [point(stop.location) for stop in sortie.stops],
            "escort": sortie.escort.asset_id if sortie.escort else None}


def sortie_records(sortie: Sortie, facility_location: Location, base: Location) -> list[dict]:
    """The legs and handovers a committed sortie will fly (through each further pickup)."""
    later = {pid for stop in sortie.stops for pid in stop.patient_ids}
    onboard = [pid for pid in sortie.patient_ids if pid not in later]
    if sortie.refuel is None:
        records = [leg(sortie.asset_id, sortie.start, sortie.pickup, sortie.wheels_up, sortie.at_pickup, [])]
    else:  # out through a refuelling stop
        stop = sortie.refuel
        records = [leg(sortie.asset_id, sortie.start, stop.location, sortie.wheels_up, stop.at, []),
                   leg(sortie.asset_id, stop.location, sortie.pickup, stop.depart, sortie.at_pickup, [])]
    where, depart = sortie.pickup, sortie.depart_pickup
    for stop in sortie.stops:
        records.append(leg(sortie.asset_id, where, stop.location, depart, stop.at, onboard))
        onboard = onboard + stop.patient_ids
        where, depart = stop.location, stop.depart
    if sortie.refuel_in is not None:  # in through a refuelling stop, the patients aboard
        stop = sortie.refuel_in
        records.append(leg(sortie.asset_id, where, stop.location, depart, stop.at, onboard))
        where, depart = stop.location, stop.depart
    records.append(leg(sortie.asset_id, where, facility_location, depart, sortie.at_facility, onboard))
    records += [handover(pid, sortie.facility_id, sortie.handover_at) for pid in sortie.patient_ids]
    if sortie.returns_to_base_at is not None:
        records.append(leg(sortie.asset_id, facility_location, base, sortie.handover_at,
                           sortie.returns_to_base_at, []))
    return records


def escort_records(sortie: Sortie) -> list[dict]:
    """The escort's legs: through its refuelling stop if any, to each landing zone it covers,
    then home (nobody aboard)."""
    escort = sortie.escort
    refuel = escort.refuel
    stops = [(refuel.location, refuel.at, refuel.depart)] if refuel is not None else []
    stops += [(v.location, v.at, v.leave) for v in escort.visits] + [(escort.end, escort.back_at_base, None)]
    records, where, depart = [], escort.start, escort.wheels_up
    for place, arrive, leave in stops:
        records.append(leg(escort.asset_id, where, place, depart, arrive, [], escorting=sortie.asset_id))
        where, depart = place, leave
    return records


def write(path: str, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
