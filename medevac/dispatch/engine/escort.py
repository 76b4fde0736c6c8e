"""Armed escorts: an unarmed carrier may land at a Line 6 `X` pickup only under an armed escort.

The pair is one decision. The escort (an armed helicopter, by its own notice to move, speed,
range and night rules) flies from where it is free to each hostile landing zone of the sortie,
arrives no later than the carrier, stays until the carrier lifts off, then flies home. It launches
just in time, so it is free for other work until then; where it cannot be there in time, the
carrier waits for it (the sortie is re-timed). From tasking until it is home it is busy.
"""

from dataclasses import dataclass

from medevac.dispatch.engine.travel import REFUEL_MIN, Launch, Timeline, notice_to_move_s
from medevac.dispatch.scenario import Asset, Facility, Location
from medevac.geo import is_night

MAX_RETIMES = 2  # a later launch can change notice to move (night) and daylight: re-check twice
MAX_TIMED_IN_TIME = 1  # escorts timed once one is there in time (the rest differ only in getting home)


@dataclass(frozen=True)
class EscortLine:
    asset: Asset
    launch: Launch
    tasked_at: int
    wheels_up: int
    visits: tuple[tuple[Location, int, int], ...]  # (landing zone, over it from, until)
    back_at_base: int  # lands at `end`: its base, or a refuelling facility when the base is too far
    distance_km: float
    delay: int = 0  # seconds the carrier must wait for this escort (0: it is there in time)
    end: Location | None = None
    end_facility: Facility | None = None  # None: home at its base
    refuel: tuple[Facility, int, int] | None = None  # a refuelling stop on the way out: (where, arrive, depart)

    @property
    def next_launch(self) -> Launch:
        """Where and when it can fly again."""
        if self.end_facility is None:
            return Launch(self.asset.base, self.back_at_base, at_base=True)
        return Launch(self.end_facility.location, self.back_at_base, at_base=False)


def hostile_stops(line: Timeline, places: tuple[Location, ...], hostile: tuple[bool, ...]) -> tuple:
    """(landing zone, carrier arrives, carrier leaves) for every hostile pickup of the sortie."""
    times = ((line.at_pickup, line.depart_pickup), *line.stops)
    return tuple((place, arrive, leave) for place, (arrive, leave), x in zip(places, times, hostile) if x)


def escort_line(travel, escort: Asset, launch: Launch, stops: tuple, not_before: int,
                refuel: tuple[Facility, ...] = ()) -> EscortLine | str:
    """The escort's flight over `stops` (carrier times), or why it cannot fly it at all. It flies
    home afterwards, or to the refuelling facility nearest the last zone when home is too far;
    where one tank does not reach the first zone and then there, it refuels on the way out at the
    facility that gets it over the zone soonest, as a carrier does."""
    if escort.kind != "helicopter" or not escort.armed:
        return "not an armed helicopter"
    zones = [s[0] for s in stops]
    between = [travel.flight(escort, a, b) for a, b in zip(zones, zones[1:])]
    fuel = _fuel(travel, escort, launch.location, zones, sum(k for k, _ in between), refuel)
    if isinstance(fuel, str):
        return fuel
    out_s, via, end, end_facility, km = fuel
    t_home = travel.flight(escort, zones[-1], end)[1]
    earliest = max(launch.ready, not_before)
    target = stops[0][1] - out_s  # wheels up by then to be over the first zone in time
    tasked = max(earliest, target - _notice(travel, escort, launch, earliest))
    wheels_up = tasked + _notice(travel, escort, launch, tasked)
    if wheels_up + out_s > stops[0][1] and tasked > earliest:
        tasked = earliest
        wheels_up = tasked + _notice(travel, escort, launch, tasked)
    arrive = wheels_up + out_s
    delay = max(0, arrive - stops[0][1])
    visits = [(stops[0][0], arrive, stops[0][2] + delay)]
    for (place, carrier_in, carrier_out), (_, seconds) in zip(stops[1:], between):
        arrive = visits[-1][2] + seconds
        if arrive > carrier_in + delay:
            return "escort slower than the carrier between landing zones"
        visits.append((place, arrive, carrier_out + delay))
    back = visits[-1][2] + t_home
    stop = None if via is None else (via[0], wheels_up + via[1], wheels_up + via[1] + REFUEL_MIN * 60)
    line = EscortLine(escort, launch, tasked, wheels_up, tuple(visits), back, km, delay, end, end_facility, stop)
    return _dark(travel, line) or line


def _fuel(travel, escort: Asset, start: Location, zones: list[Location], km_between: float,
          refuel: tuple[Facility, ...]) -> tuple | str:
    """How one tank (or two, with a stop on the way out) lasts the duty: (seconds from launch to
    over the first zone, the stop or None, where it ends, its facility or None, km flown).
    One tank home first, then one tank to the refuelling facility nearest the last zone, then
    the same two ends with a stop on the way out."""
    km_first, t_first = travel.flight(escort, start, zones[0])
    ends: list[tuple[float, Location, Facility | None]] = [(travel.flight(escort, zones[-1], escort.base)[0],
                                                            escort.base, None)]
    near = min(((travel.flight(escort, zones[-1], f.location)[0], f.id, f) for f in refuel), default=None,
               key=lambda x: x[:2])
    if near is not None:
        ends.append((near[0], near[2].location, near[2]))
    for km_end, end, facility in ends:
        if km_first + km_between + km_end <= escort.range_km:
            return t_first, None, end, facility, km_first + km_between + km_end
    for km_end, end, facility in ends:
        via = travel.refuel_stop(escort, start, zones[0], km_between + km_end, refuel)
        if via is not None:
            return via[1] + REFUEL_MIN * 60 + via[2], via, end, facility, via[3]
    return f"escort out of range ({km_first + km_between + ends[0][0]:.0f} of {escort.range_km:.0f} km)"


def _notice(travel, asset: Asset, launch: Launch, at: int) -> int:
    return notice_to_move_s(asset, travel.at(at)) if launch.at_base else 0


def _dark(travel, line: EscortLine) -> str | None:
    points = [(line.launch.location, line.wheels_up), (line.end, line.back_at_base)]
    points += [(place, t) for place, start, end in line.visits for t in (start, end)]
    if line.refuel is not None:
        stop, arrive, depart = line.refuel
        if not stop.night_landing and is_night(stop.location.lat, stop.location.lon, travel.at(arrive)):
            return f"escort's refuelling stop {stop.name} takes no night landings"
        points += [(stop.location, arrive), (stop.location, depart)]
    if not line.asset.night_capable and any(is_night(p.lat, p.lon, travel.at(t)) for p, t in points):
        return "escort has no night capability"
    return None


def best_escort(ctx, carrier: Asset, stops: tuple, not_before: int, launches: dict[str, Launch],
                prefer: str | None = None) -> EscortLine | str:
    """The escort that makes the carrier wait least (then is home soonest); `prefer` first when it
    can. `not_before`: the call (no escort is tasked before it). Escorts are tried soonest-over-
    the-zone first by a bound (no notice to move); the first that keeps nobody waiting ends the
    search: a later one could only be home sooner, which is not worth timing every escort."""
    zone = stops[0][0]
    order = sorted((e.id != prefer, max(launches[e.id].ready, not_before)
                    + ctx.travel.flight(e, launches[e.id].location, zone)[1], e.id, e)
                   for e in ctx.escorts if e.id != carrier.id)
    found, reasons = [], set()
    for first, bound, _, escort in order:
        if found and not first and bound > stops[0][1] and min(f[0] for f in found)[1] == 0:
            break
        result = escort_line(ctx.travel, escort, launches[escort.id], stops, not_before, ctx.refuel_stops(escort))
        if isinstance(result, str):
            reasons.add(result)
            continue
        found.append(((escort.id != prefer, result.delay, result.back_at_base, escort.id), result))
        if result.delay == 0 and (escort.id == prefer or len(found) >= MAX_TIMED_IN_TIME):
            break
    if not found:
        return "no armed escort can cover the landing zone" + (f" ({'; '.join(sorted(reasons))})" if reasons else "")
    return min(found, key=lambda f: f[0])[1]


def can_cover(travel, escorts: list[Asset], zone: Location, refuel_of) -> bool:
    """Whether any escort could fly over the zone at all, from its base or any refuelling facility
    (a bound: timing and night aside). `refuel_of(asset)`: its refuelling facilities."""
    for escort in escorts:
        fuel = refuel_of(escort)
        starts = [escort.base, *(f.location for f in fuel)]
        ends = starts
        out = min(travel.flight(escort, a, zone)[0] for a in starts)
        back = min(travel.flight(escort, zone, b)[0] for b in ends)
        if out + back <= escort.range_km:
            return True
    return False
