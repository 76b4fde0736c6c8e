"""Rules about how each asset moves: speed, continuity, capacity, range, darkness, night landing."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from astral import Observer
from astral.sun import elevation
from geographiclib.geodesic import Geodesic

from medevac.dispatch.tracecheck.records import Leg, Point, Theatre, Violation

SAME_PLACE_KM = 0.1  # traces round coordinates; 100 m is still "the same helipad"
BOARDING_KM = 0.5  # a casualty boards within this distance of where it lies (its landing zone)
CLOCK_SLACK_S = 1.0  # trace times are written to the second
# Darkness is the sun below civil twilight (-6°). A planner may decide it on coarser time or
# position buckets; 1.5° (about 6 minutes of sun travel) keeps such rounding from being flagged.
DARK_BELOW_DEG = -6.0 - 1.5


def distance_km(a: Point, b: Point) -> float:
    if a == b:
        return 0.0
    return Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon, Geodesic.DISTANCE)["s12"] / 1000.0


def same_place(a: Point, b: Point) -> bool:
    return distance_km(a, b) <= SAME_PLACE_KM


def is_dark(place: Point, at: datetime) -> bool:
    return elevation(Observer(place.lat, place.lon), at) < DARK_BELOW_DEG


def travel_km(leg: Leg, asset: dict, theatre: Theatre) -> float:
    """Distance the asset covers: great circle in the air, × road factor on the ground."""
    factor = theatre.road_factor if asset["kind"] == "ground" else 1.0
    return distance_km(leg.origin, leg.destination) * factor


def legs_by_asset(legs: list[Leg]) -> dict[str, list[Leg]]:
    grouped: dict[str, list[Leg]] = defaultdict(list)
    for leg in sorted(legs, key=lambda leg: (leg.depart, leg.line)):
        grouped[leg.asset].append(leg)
    return grouped


def check_assets(legs: list[Leg], theatre: Theatre) -> Iterator[Violation]:
    for asset_id, flown in legs_by_asset(legs).items():
        asset = theatre.assets.get(asset_id)
        if asset is None:
            yield Violation(kind="unknown_asset", line=flown[0].line, subject=asset_id,
                            message=f"asset {asset_id!r} is not in the scenario")
            continue
        for leg, after in zip(flown, [*flown[1:], None]):
            boards = after is not None and bool(set(after.onboard) - set(leg.onboard))
            yield from _speed(leg, asset, theatre)
            yield from _capacity(leg, asset, theatre)
            yield from _darkness(leg, asset, theatre, pickup=boards)
        yield from _continuity(flown, asset)
        yield from _range(flown, asset, theatre)


def _speed(leg: Leg, asset: dict, theatre: Theatre) -> Iterator[Violation]:
    taken_s = (leg.arrive - leg.depart).total_seconds()
    needed_s = travel_km(leg, asset, theatre) / asset["cruise_kmh"] * 3600
    if taken_s < 0:
        yield Violation(kind="speed", line=leg.line, subject=leg.asset,
                        message=f"arrives {-taken_s:.0f} s before it departs")
    elif taken_s + CLOCK_SLACK_S < needed_s:
        yield Violation(kind="speed", line=leg.line, subject=leg.asset,
                        message=f"leg takes {taken_s / 60:.1f} min, at least {needed_s / 60:.1f} "
                                f"min at {asset['cruise_kmh']} km/h")


def _capacity(leg: Leg, asset: dict, theatre: Theatre) -> Iterator[Violation]:
    types = [theatre.casualties[c]["patient_type"] for c in leg.onboard if c in theatre.casualties]
    litter = types.count("litter")
    # An ambulatory patient may sit or take a free litter; a litter patient needs a litter.
    if litter > asset["litters"] or len(types) > asset["litters"] + asset["seats"]:
        yield Violation(kind="capacity", line=leg.line, subject=leg.asset,
                        message=f"{litter} litter + {len(types) - litter} ambulatory aboard, "
                                f"capacity {asset['litters']} litters + {asset['seats']} seats")


def _darkness(leg: Leg, asset: dict, theatre: Theatre, pickup: bool) -> Iterator[Violation]:
    """`pickup`: someone boards where the leg lands, a landing zone even at a facility's helipad
    (casualties of an attack on a camp); only a facility landing needs the facility's night rule."""
    if not asset["night_capable"]:
        midpoint = Point((leg.origin.lat + leg.destination.lat) / 2,
                         (leg.origin.lon + leg.destination.lon) / 2)
        middle = leg.depart + (leg.arrive - leg.depart) / 2
        samples = ((leg.origin, leg.depart), (midpoint, middle), (leg.destination, leg.arrive))
        if any(is_dark(place, at) for place, at in samples):
            yield Violation(kind="night", line=leg.line, subject=leg.asset,
                            message="asset without night capability moves in darkness")
    if asset["kind"] == "ground" or not leg.onboard or pickup:
        return
    facility = _facility_at(leg.destination, theatre)
    if facility and not facility["night_landing"] and is_dark(leg.destination, leg.arrive):
        yield Violation(kind="night_landing", line=leg.line, subject=leg.asset,
                        message=f"lands patients at {facility['id']} in darkness; "
                                f"it takes no night landings")


def _facility_at(place: Point, theatre: Theatre) -> dict | None:
    return next((f for f in theatre.facilities.values() if same_place(f["location"], place)), None)


def _continuity(flown: list[Leg], asset: dict) -> Iterator[Violation]:
    where, free_at = asset["base"], None
    for leg in flown:
        if not same_place(where, leg.origin):
            yield Violation(kind="continuity", line=leg.line, subject=leg.asset,
                            message=f"departs from ({leg.origin.lat}, {leg.origin.lon}), "
                                    f"but is at ({where.lat}, {where.lon})")
        if free_at is not None and leg.depart < free_at:
            yield Violation(kind="continuity", line=leg.line, subject=leg.asset,
                            message="departs before its previous leg arrives")
        where, free_at = leg.destination, leg.arrive


def _range(flown: list[Leg], asset: dict, theatre: Theatre) -> Iterator[Violation]:
    """Fuel lasts `range_km` from the base or the last facility that refuels."""
    refuel_points = [asset["base"]] + [
        f["location"] for f in theatre.facilities.values() if f["refuel"]
    ]
    since_refuel = 0.0
    for leg in flown:
        since_refuel += travel_km(leg, asset, theatre)
        if since_refuel > asset["range_km"] + SAME_PLACE_KM:
            yield Violation(kind="range", line=leg.line, subject=leg.asset,
                            message=f"{since_refuel:.0f} km since refuelling, range "
                                    f"{asset['range_km']} km")
            since_refuel = 0.0  # report each exhausted tank once
        if any(same_place(leg.destination, spot) for spot in refuel_points):
            since_refuel = 0.0
