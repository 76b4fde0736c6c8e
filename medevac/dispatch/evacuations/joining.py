"""Riding along, approved: a request's casualties board a live evacuation already on its way to
their landing zone, in one transaction, audited as `evacuation.joined`.

The same guarantees as tasking: the evacuation's row is locked first, so a crew's transition or a
second join waits and then sees this one; the casualties board only if every one of them still
waits. A 409 with the current state when the aircraft has meanwhile reached the landing zone (or
later), was aborted, or has no room left for them.
"""

import uuid
from types import SimpleNamespace
from typing import Any

import asyncpg

from medevac import privacy
from medevac.auth import Principal
from medevac.dispatch.engine import rules
from medevac.dispatch.evacuations import store
from medevac.dispatch.evacuations.machine import JOINABLE
from medevac.dispatch.evacuations.model import Evacuation
from medevac.dispatch.requests import store as requests
from medevac.dispatch.requests.model import EvacRequest
from medevac.errors import Problem, conflict
from medevac.events import record_change

REQUEST = "evac_request"
STATE_WORDS = {"at_pickup": "at the landing zone", "loaded": "loaded and away", "handed_over": "at the facility",
               "complete": "back (sortie complete)", "aborted": "aborted"}


def ride_chosen(rec: dict[str, Any] | None, shown: Any) -> dict[str, Any] | None:
    """The recommendation's ride along, when this approval is for it: an empty approval of a
    recommendation that is only a ride along, or the ride along exactly as the console showed it."""
    ride = (rec or {}).get("ride_along")
    if not ride:
        return None
    if shown is None:
        return None if rec.get("asset_id") else ride
    same = (str(shown.asset_id), str(shown.facility_id), {str(c) for c in shown.casualty_ids}) == (
        ride["asset_id"], ride["facility_id"], set(ride["patient_ids"]))
    return ride if same else None


async def board(conn: asyncpg.Connection, evacuation: Evacuation, request_id: uuid.UUID,
                casualty_ids: list[uuid.UUID]) -> str | None:
    """Put these waiting casualties aboard the locked evacuation; None when done, else why not."""
    have = await store.room(conn, evacuation, request_id, casualty_ids)
    if have["joining_litter"] + have["joining_walking"] < len(casualty_ids):
        return "taken"
    carrier = SimpleNamespace(litters=have["litters"], seats=have["seats"])
    if not rules.fits_aboard(carrier, have["aboard_litter"] + have["joining_litter"],
                             have["aboard_walking"] + have["joining_walking"]):
        return "room"
    return None if await store.join(conn, evacuation, request_id, casualty_ids) else "taken"


def _refused(why: str, callsign: str, n: int, evacuation: Evacuation | None, request: EvacRequest) -> Problem:
    current = {"evacuation": evacuation.model_dump(mode="json") if evacuation else None,
               "request": request.model_dump(mode="json")}
    shows = privacy.shows([request], entity=REQUEST)
    if why == "room":
        return conflict(f"{callsign} has no room left for {n} more, so nobody was added aboard; "
                        "task another aircraft for them", code="no_room", current=current, shows=shows)
    if why == "taken":
        return conflict("these patients were taken by another approval, so nobody was added aboard; "
                        "check the board", code="lost_race", current=current, shows=shows)
    return conflict(f"{callsign} is {why} now, so nobody was added aboard; the next plan offers "
                    "another aircraft", code="evacuation_moved", current=current, shows=shows)


async def join(conn: asyncpg.Connection, principal: Principal | None, request: EvacRequest,
               ride: dict[str, Any]) -> Evacuation:
    """Add the ride along's waiting casualties to the live evacuation it names."""
    waiting = {str(c.id) for c in request.casualties if c.status == "waiting"}
    ids = [uuid.UUID(pid) for pid in ride["patient_ids"] if pid in waiting]
    evacuation = await store.lock(conn, uuid.UUID(ride["evacuation_id"])) if ride.get("evacuation_id") else None
    callsign = ride["callsign"]
    if evacuation is None or str(evacuation.asset_id) != ride["asset_id"]:
        raise _refused("no longer on that sortie", callsign, len(ids), evacuation, request)
    if evacuation.state not in JOINABLE:
        raise _refused(STATE_WORDS.get(evacuation.state, evacuation.state), callsign, len(ids), evacuation, request)
    why = await board(conn, evacuation, request.id, ids) if ids else "taken"
    if why:
        raise _refused(why, callsign, len(ids), evacuation, request)
    await requests.refresh_status(conn, request.id)
    after = await store.get(conn, evacuation.id)
    await record_change(conn, principal, event="evacuation.joined", entity="evacuation", entity_id=evacuation.id,
                        mission_id=evacuation.mission_id, before=evacuation.model_dump(mode="json"),
                        after=after.model_dump(mode="json") | {
                            "joined": {"request_id": str(request.id), "casualty_ids": [str(i) for i in ids]}})
    return after
