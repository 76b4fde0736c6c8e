"""Rules about each casualty's journey: pickup, continuity, handover and the receiving facility."""

from collections import defaultdict
from collections.abc import Iterator

from medevac.dispatch.tracecheck.physics import BOARDING_KM, distance_km, same_place
from medevac.dispatch.tracecheck.records import Handover, Leg, Theatre, Trace, Violation
from medevac.dispatch.tracecheck.standards import meets_precedence


def check_casualties(trace: Trace, theatre: Theatre) -> Iterator[Violation]:
    carried: dict[str, list[Leg]] = defaultdict(list)
    for leg in sorted(trace.legs, key=lambda leg: (leg.depart, leg.line)):
        for casualty in leg.onboard:
            carried[casualty].append(leg)
    handed: dict[str, list[Handover]] = defaultdict(list)
    for handover in sorted(trace.handovers, key=lambda h: (h.at, h.line)):
        handed[handover.casualty].append(handover)

    for casualty_id in sorted(set(carried) | set(handed)):
        casualty = theatre.casualties.get(casualty_id)
        if casualty is None:
            first = (carried.get(casualty_id) or handed[casualty_id])[0]
            yield Violation(kind="unknown_casualty", line=first.line, subject=casualty_id,
                            message=f"casualty {casualty_id!r} is not in the scenario")
            continue
        legs, handovers = carried.get(casualty_id, []), handed.get(casualty_id, [])
        yield from _pickup(casualty, legs)
        yield from _journey(casualty_id, legs)
        for handover in handovers:
            yield from _handover(handover, legs, theatre)
        if handovers:
            yield from _after_last_handover(handovers[-1], legs)
            yield from _receiving_facility(casualty, handovers[-1], theatre)


def _pickup(casualty: dict, legs: list[Leg]) -> Iterator[Violation]:
    if not legs:
        return
    first = legs[0]
    if distance_km(first.origin, casualty["location"]) > BOARDING_KM:
        yield Violation(kind="pickup", line=first.line, subject=casualty["id"],
                        message=f"boards {distance_km(first.origin, casualty['location']):.2f} km from where "
                                f"the casualty lies (at most {BOARDING_KM} km)")
    if first.depart < casualty["reported_at"]:
        yield Violation(kind="pickup", line=first.line, subject=casualty["id"],
                        message="carried before the request was reported")


def _journey(casualty_id: str, legs: list[Leg]) -> Iterator[Violation]:
    """Across a change of aircraft the casualty must be handed on in place, not teleported."""
    for previous, leg in zip(legs, legs[1:]):
        if leg.asset == previous.asset:
            continue  # the asset's own continuity rule covers this
        if not same_place(previous.destination, leg.origin) or leg.depart < previous.arrive:
            yield Violation(kind="continuity", line=leg.line, subject=casualty_id,
                            message=f"boards {leg.asset} away from where {previous.asset} "
                                    f"left them, or before it arrived")


def _handover(handover: Handover, legs: list[Leg], theatre: Theatre) -> Iterator[Violation]:
    facility = theatre.facilities.get(handover.facility)
    if facility is None:
        yield Violation(kind="handover", line=handover.line, subject=handover.casualty,
                        message=f"facility {handover.facility!r} is not in the scenario")
        return
    arrived = [leg for leg in legs if leg.arrive <= handover.at]
    if not arrived or not same_place(arrived[-1].destination, facility["location"]):
        yield Violation(kind="handover", line=handover.line, subject=handover.casualty,
                        message=f"handed over at {handover.facility} without arriving there aboard")
    if any(leg.depart < handover.at < leg.arrive for leg in legs):
        yield Violation(kind="handover", line=handover.line, subject=handover.casualty,
                        message="handed over while still in transit")


def _after_last_handover(last: Handover, legs: list[Leg]) -> Iterator[Violation]:
    for leg in legs:
        if leg.depart >= last.at:
            yield Violation(kind="handover", line=leg.line, subject=last.casualty,
                            message=f"still aboard {leg.asset} after the final handover")


def _receiving_facility(casualty: dict, last: Handover, theatre: Theatre) -> Iterator[Violation]:
    facility = theatre.facilities.get(last.facility)
    if facility is None:
        return
    offered = set(facility["capabilities"])
    missing = sorted(set(casualty["needs"]) - offered)
    if not meets_precedence(casualty["precedence"], facility):
        missing.insert(0, f"care for precedence {casualty['precedence']}")
    if missing:
        yield Violation(kind="capability", line=last.line, subject=casualty["id"],
                        message=f"{facility['id']} lacks {', '.join(missing)}")
