"""Rules about landings: loading time at each pickup, fixed wing only at airfields, and an armed
escort over every Line 6 `X` landing zone of an unarmed carrier. A leg flown as an escort (its
`escorting` names the carrier) is an armed helicopter's, with nobody aboard; it may land at a
refuelling facility on its way out like any leg (the fuel rule counts each tank)."""

from collections.abc import Iterator
from datetime import timedelta

from medevac.dispatch.tracecheck.physics import BOARDING_KM, CLOCK_SLACK_S, distance_km, legs_by_asset
from medevac.dispatch.tracecheck.records import Leg, Theatre, Violation

AIRFIELD_KM = 5.0  # a runway serves points this close (the base, a refuelling facility, a city hospital)


def check_landings(legs: list[Leg], theatre: Theatre) -> Iterator[Violation]:
    by_asset = legs_by_asset(legs)
    for asset_id, flown in by_asset.items():
        asset = theatre.assets.get(asset_id)
        if asset is None:
            continue
        for before, after in zip(flown, flown[1:]):
            boarding = [c for c in after.onboard if c not in before.onboard]
            if not boarding:
                continue
            yield from _loading(before, after, theatre)
            if not asset["armed"] and any(theatre.casualties.get(c, {}).get("security") == "X" for c in boarding):
                yield from _escorted(asset_id, before, after, by_asset, theatre)
        if asset["kind"] == "fixed_wing":
            yield from _airfields(flown, asset, theatre)
        yield from _escort_legs(flown, asset, theatre)


def _escort_legs(flown: list[Leg], asset: dict, theatre: Theatre) -> Iterator[Violation]:
    for leg in flown:
        if leg.escorting is None:
            continue
        if not asset["armed"] or asset["kind"] != "helicopter":
            problem = "is not an armed helicopter"
        elif leg.onboard:
            problem = "carries casualties"
        elif leg.escorting not in theatre.assets:
            problem = f"escorts {leg.escorting!r}, which is not in the scenario"
        else:
            continue
        yield Violation(kind="escort", line=leg.line, subject=leg.asset, message=f"flies as an escort but {problem}")


def _loading(before: Leg, after: Leg, theatre: Theatre) -> Iterator[Violation]:
    on_ground = (after.depart - before.arrive).total_seconds()
    if 0 <= on_ground and on_ground + CLOCK_SLACK_S < theatre.load_min * 60:  # < 0: a continuity error
        yield Violation(kind="loading", line=after.line, subject=after.asset,
                        message=f"on the ground {on_ground / 60:.1f} min to load, the scenario needs "
                                f"{theatre.load_min:g} min")


def _escorted(carrier: str, before: Leg, after: Leg, by_asset: dict[str, list[Leg]],
              theatre: Theatre) -> Iterator[Violation]:
    """An armed aircraft there no later than the carrier lands, until it lifts off."""
    zone, landed, lifts = after.origin, before.arrive, after.depart
    slack = timedelta(seconds=CLOCK_SLACK_S)
    for asset_id, flown in by_asset.items():
        asset = theatre.assets.get(asset_id)
        if asset_id == carrier or asset is None or not asset["armed"] or asset["kind"] != "helicopter":
            continue
        for arrive, leave in zip(flown, [*flown[1:], None]):
            over = distance_km(arrive.destination, zone) <= BOARDING_KM
            if over and arrive.arrive <= landed + slack and (leave is None or leave.depart + slack >= lifts):
                return
    yield Violation(kind="escort", line=after.line, subject=carrier,
                    message=f"unarmed, loads a line 6 X casualty at ({zone.lat}, {zone.lon}) without an armed "
                            f"escort over the landing zone from its landing to its lift-off")


def _airfields(flown: list[Leg], asset: dict, theatre: Theatre) -> Iterator[Violation]:
    fields = [asset["base"]] + [f["location"] for f in theatre.facilities.values()
                                if f["refuel"] or f["level"] >= 3]
    for leg in flown:
        for place in (leg.origin, leg.destination):
            if not any(distance_km(place, field) <= AIRFIELD_KM for field in fields):
                yield Violation(kind="airfield", line=leg.line, subject=leg.asset,
                                message=f"fixed wing at ({place.lat}, {place.lon}), "
                                        f"which is not an airfield")
                return

