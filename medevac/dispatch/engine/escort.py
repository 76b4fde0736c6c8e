"""Armed escorts: an unarmed carrier may land at a Line 6 `X` pickup only under an armed escort.

The pair is one decision. The escort (an armed helicopter, by its own notice to move, speed,
range and night rules) flies from where it is free to each hostile landing zone of the sortie,
arrives no later than the carrier, stays until the carrier lifts off, then flies home. It launches
just in time, so it is free for other work until then; where it cannot be there in time, the
carrier waits for it (the sortie is re-timed). From tasking until it is home it is busy.
"""

from dataclasses import dataclass

from medevac.dispatch.engine.travel import Launch, Timeline, notice_to_move_s
from medevac.dispatch.scenario import Asset, Location
from medevac.geo import is_night

MAX_RETIMES = 2  # a later launch can change notice to move (night) and daylight: re-check twice


@dataclass(frozen=True)
class EscortLine:
    asset: Asset
    launch: Launch
    tasked_at: int
    wheels_up: int
    visits: tuple[tuple[Location, int, int], ...]  # (landing zone, over it from, until)
    back_at_base: int
    distance_km: float
    delay: int = 0  # seconds the carrier must wait for this escort (0: it is there in time)

    @property
    def free_at(self) -> int:
        return self.back_at_base


def hostile_stops(line: Timeline, places: tuple[Location, ...], hostile: tuple[bool, ...]) -> tuple:
    """(landing zone, carrier arrives, carrier leaves) for every hostile pickup of the sortie."""
    times = ((line.at_pickup, line.depart_pickup), *line.stops)
    return tuple((place, arrive, leave) for place, (arrive, leave), x in zip(places, times, hostile) if x)


def escort_line(travel, escort: Asset, launch: Launch, stops: tuple, not_before: int) -> EscortLine | str:
    """The escort's flight over `stops` (carrier times), or why it cannot fly it at all."""
    if escort.kind != "helicopter" or not escort.armed:
        return "not an armed helicopter"
    places = (launch.location, *(s[0] for s in stops), escort.base)
    flights = [travel.flight(escort, a, b) for a, b in zip(places, places[1:])]
    km = sum(k for k, _ in flights)
    if km > escort.range_km:
        return f"escort out of range ({km:.0f} of {escort.range_km:.0f} km)"
    earliest = max(launch.ready, not_before)
    target = stops[0][1] - flights[0][1]  # wheels up by then to be over the first zone in time
    tasked = max(earliest, target - _notice(travel, escort, launch, earliest))
    wheels_up = tasked + _notice(travel, escort, launch, tasked)
    if wheels_up + flights[0][1] > stops[0][1] and tasked > earliest:
        tasked = earliest
        wheels_up = tasked + _notice(travel, escort, launch, tasked)
    arrive = wheels_up + flights[0][1]
    delay = max(0, arrive - stops[0][1])
    visits = [(stops[0][0], arrive, stops[0][2] + delay)]
    for (place, carrier_in, carrier_out), (_, seconds) in zip(stops[1:], flights[1:]):
        arrive = visits[-1][2] + seconds
        if arrive > carrier_in + delay:
            return "escort slower than the carrier between landing zones"
        visits.append((place, arrive, carrier_out + delay))
    back = visits[-1][2] + flights[-1][1]
    line = EscortLine(escort, launch, tasked, wheels_up, tuple(visits), back, km, delay)
    return _dark(travel, line) or line


def _notice(travel, asset: Asset, launch: Launch, at: int) -> int:
    return notice_to_move_s(asset, travel.at(at)) if launch.at_base else 0


def _dark(travel, line: EscortLine) -> str | None:
    if line.asset.night_capable:
        return None
    points = [(line.launch.location, line.wheels_up), (line.asset.base, line.back_at_base)]
    points += [(place, t) for place, start, end in line.visits for t in (start, end)]
    if any(is_night(p.lat, p.lon, travel.at(t)) for p, t in points):
        return "escort has no night capability"
    return None


def best_escort(ctx, carrier: Asset, stops: tuple, not_before: int, launches: dict[str, Launch],
                prefer: str | None = None) -> EscortLine | str:
    """The escort that makes the carrier wait least (then is home soonest); `prefer` first when it
    can. `not_before`: the call (no escort is tasked before it)."""
    found, reasons = [], set()
    for escort in ctx.escorts:
        if escort.id == carrier.id:
            continue
        result = escort_line(ctx.travel, escort, launches[escort.id], stops, not_before)
        if isinstance(result, str):
            reasons.add(result)
        else:
            found.append(((escort.id != prefer, result.delay, result.back_at_base, escort.id), result))
    if not found:
        return "no armed escort can cover the landing zone" + (f" ({'; '.join(sorted(reasons))})" if reasons else "")
    return min(found, key=lambda f: f[0])[1]
