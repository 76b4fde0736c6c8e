"""Travel and time model: one sortie's timeline, with range, night and landing rules.

All times are integer seconds after the snapshot's `now`; travel times round up, so a timeline
computed here is never optimistic and the simulator and the trace reproduce it exactly.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from medevac.dispatch.scenario import Asset, Facility, Location
from medevac.geo import distance_km, is_night, next_daylight

_MAX_DAYLIGHT_SHIFTS = 3
REFUEL_MIN = 20  # [sim] a hot refuel at a facility on the way out or in, engines running


@dataclass(frozen=True)
class Leg:
    origin: Location
    destination: Location
    depart: int
    arrive: int


@dataclass(frozen=True)
class Timeline:
    tasked_at: int
    wheels_up: int
    at_pickup: int
    depart_pickup: int
    at_facility: int
    handover: int
    back_at_base: int | None  # None: it refuels at the facility and is free there at handover
    distance_km: float
    start: Location
    stops: tuple[tuple[int, int], ...] = ()  # (arrive, depart) at each further pickup, in order
    refuel: tuple[Facility, int, int] | None = None  # a refuelling stop on the way out: (where, arrive, depart)
    refuel_in: tuple[Facility, int, int] | None = None  # one on the way in, patients aboard

    @property
    def free_at(self) -> int:
        return self.handover if self.back_at_base is None else self.back_at_base


@dataclass(frozen=True)
class Launch:
    """Where and when an asset can start its next sortie."""

    location: Location
    ready: int  # seconds after now
    at_base: bool  # at base a crew needs its notice to move; airborne crews do not


def leg_km(asset: Asset, a: Location, b: Location, road_factor: float) -> float:
    km = distance_km(a.lat, a.lon, b.lat, b.lon)
    return km * road_factor if asset.kind == "ground" else km


def leg_seconds(asset: Asset, km: float) -> int:
    return math.ceil(km / asset.cruise_kmh * 3600)


def notice_to_move_s(asset: Asset, at: datetime) -> int:
    night = asset.night_capable and is_night(asset.base.lat, asset.base.lon, at)
    minutes = asset.notice_to_move_min.night if night else asset.notice_to_move_min.day
    return int(minutes * 60)


class TravelModel:
    """Sortie timelines for one snapshot (its clock, road factor and load/unload minutes)."""

    def __init__(self, now: datetime, road_factor: float, load_min: float, unload_min: float):
        self.now = now
        self.road_factor = road_factor
        self.load_s = int(load_min * 60)
        self.unload_s = int(unload_min * 60)
        self._km: dict[tuple[float, float, float, float], float] = {}

    def at(self, seconds: int) -> datetime:
        return self.now + timedelta(seconds=seconds)

    def flight(self, asset: Asset, a: Location, b: Location) -> tuple[float, int]:
        """Kilometres and whole seconds of one leg (the distance is shared by every asset)."""
        key = (a.lat, a.lon, b.lat, b.lon)
        km = self._km.get(key)
        if km is None:
            km = self._km[key] = distance_km(a.lat, a.lon, b.lat, b.lon)
        if asset.kind == "ground":
            km *= self.road_factor
        return km, leg_seconds(asset, km)

    def timeline(
        self, asset: Asset, launch: Launch, site: Location, facility: Facility, not_before: int = 0,
        then: tuple[Location, ...] = (), wait_for_daylight: bool = False, refuel: tuple[Facility, ...] = (),
    ) -> Timeline | str:
        """The sortie's timeline, or why it is impossible (range, night, landing); `then` are
        further pickups flown after `site` before the facility (a multi-pickup sortie); beyond one
        tank, stops at the `refuel` facilities are tried (`_refuelling`): on the way out, or in with
        the patients aboard (a facility that takes them at night may lie beyond one tank). With
        `wait_for_daylight` a night-capable asset bound for a facility that takes no night landings
        launches so as to land at dawn, as a day-only one does (the bound: a later re-plan may)."""
        points = (launch.location, site, *then, facility.location)
        flights = [self.flight(asset, a, b) for a, b in zip(points, points[1:])]
        km_back, t_back = (0.0, 0) if facility.refuel else self.flight(asset, facility.location, asset.base)
        total_km = sum(km for km, _ in flights) + km_back
        via = via_in = None
        if total_km > asset.range_km:
            found = self._refuelling(asset, points, [km for km, _ in flights], km_back, refuel)
            if found is None:
                return f"out of range ({total_km:.0f} of {asset.range_km:.0f} km)"
            via, via_in, total_km = found
        tasked = max(0, launch.ready, not_before)
        legs = tuple(t for _, t in flights)
        for _ in range(_MAX_DAYLIGHT_SHIFTS):
            line = self._line(asset, launch, tasked, legs, t_back, total_km, not facility.refuel, via, via_in)
            dark = self._dark_point(asset, launch, (site, *then), facility, line)
            if dark is None:
                return line
            if asset.night_capable and not wait_for_daylight:
                stop = next((r[0] for r in (line.refuel, line.refuel_in) if r and r[0].location == dark[0]), None)
                return f"refuelling stop {stop.name} takes no night landings" if stop else \
                    "facility takes no night landings"
            dawn = next_daylight(dark[0].lat, dark[0].lon, self.at(dark[1]))
            if dawn is None:
                return "no night capability"
            # Launch so that the dark point is reached at dawn.
            tasked = max(tasked + 1, tasked + int((dawn - self.at(dark[1])).total_seconds()))
        return "no night capability"

    def _refuelling(self, asset: Asset, points: tuple[Location, ...], km: list[float], km_back: float,
                    refuel: tuple[Facility, ...]) -> tuple | None:
        """Where one tank does not do: a stop on the way out, else one on the way in (at most one
        stop a sortie). (out, in, total km) or None. `points`: launch, pickups, facility; `km`:
        the legs between them."""
        out = self.refuel_stop(asset, points[0], points[1], sum(km[1:]) + km_back, refuel)
        if out is not None:
            return out, None, out[3]
        back_in = self.refuel_stop_in(asset, points[-2], points[-1], sum(km[:-1]), km_back, refuel)
        if back_in is not None:
            return None, back_in, back_in[3]
        return None

    def refuel_stop(self, asset: Asset, start: Location, site: Location, rest_km: float,
                     refuel: tuple[Facility, ...]) -> tuple | None:
        """The refuelling facility that gets the asset there soonest when one tank cannot:
        (facility, seconds to it, seconds from it to the pickup, total km), None if none can."""
        best = None
        for stop in refuel:
            km_to, t_to = self.flight(asset, start, stop.location)
            km_on, t_on = self.flight(asset, stop.location, site)
            if km_to <= asset.range_km and km_on + rest_km <= asset.range_km and (best is None or t_to + t_on < best[0]):
                best = (t_to + t_on, (stop, t_to, t_on, km_to + km_on + rest_km))
        return None if best is None else best[1]

    def refuel_stop_in(self, asset: Asset, last: Location, destination: Location, km_before: float,
                       km_after: float, refuel: tuple[Facility, ...]) -> tuple | None:
        """The refuelling facility between the last pickup and the destination that gets the
        patients there soonest when one tank cannot: (facility, seconds to it, seconds from it to
        the destination, total km), None if none can. `km_before`: flown before the last pickup;
        `km_after`: from the destination home."""
        best = None
        for stop in refuel:
            km_to, t_to = self.flight(asset, last, stop.location)
            km_on, t_on = self.flight(asset, stop.location, destination)
            fits = km_before + km_to <= asset.range_km and km_on + km_after <= asset.range_km
            if fits and (best is None or t_to + t_on < best[0]):
                best = (t_to + t_on, (stop, t_to, t_on, km_before + km_to + km_on + km_after))
        return None if best is None else best[1]

    def _line(
        self, asset: Asset, launch: Launch, tasked: int, legs: tuple[int, ...], t_back: int, km: float,
        returns: bool, via: tuple | None = None, via_in: tuple | None = None,
    ) -> Timeline:
        """`legs`: seconds out to the first pickup, between further pickups, and in to the facility;
        `via`: a refuelling stop on the way out (it replaces the first leg), `via_in` one on the
        way in (it replaces the last)."""
        ntm = notice_to_move_s(asset, self.at(tasked)) if launch.at_base else 0
        wheels_up = tasked + ntm
        refuel = None
        if via is not None:
            refuel = (via[0], wheels_up + via[1], wheels_up + via[1] + REFUEL_MIN * 60)
            legs = (via[1] + REFUEL_MIN * 60 + via[2], *legs[1:])
        at_pickup = wheels_up + legs[0]
        depart = at_pickup + self.load_s
        stops = []
        for leg in legs[1:-1]:
            stops.append((depart + leg, depart + leg + self.load_s))
            depart = stops[-1][1]
        refuel_in = None
        if via_in is not None:
            refuel_in = (via_in[0], depart + via_in[1], depart + via_in[1] + REFUEL_MIN * 60)
            legs = (*legs[:-1], via_in[1] + REFUEL_MIN * 60 + via_in[2])
        at_facility = depart + legs[-1]
        handover = at_facility + self.unload_s
        back = handover + t_back if returns else None
        return Timeline(
            tasked, wheels_up, at_pickup, at_pickup + self.load_s, at_facility, handover, back, km,
            launch.location, tuple(stops), refuel, refuel_in,
        )

    def _dark_point(
        self, asset: Asset, launch: Launch, sites: tuple[Location, ...], facility: Facility, line: Timeline
    ) -> tuple[Location, int] | None:
        """The first place and moment of the sortie that is at night and may not be."""
        points = [(launch.location, line.wheels_up)]
        for refuel in (line.refuel, line.refuel_in):
            if refuel is None:
                continue
            stop, arrive, depart = refuel
            points += [(stop.location, arrive), (stop.location, depart)]
            if not stop.night_landing and asset.kind != "ground" and is_night(stop.location.lat, stop.location.lon,
                                                                               self.at(arrive)):
                return stop.location, arrive
        for place, (arrive, depart) in zip(sites, ((line.at_pickup, line.depart_pickup), *line.stops)):
            points += [(place, arrive), (place, depart)]
        if asset.kind == "ground":  # roads are driven at night by any ambulance with lights
            return None
        for place, moment in points:
            if not asset.night_capable and is_night(place.lat, place.lon, self.at(moment)):
                return place, moment
        landing_dark = is_night(facility.location.lat, facility.location.lon, self.at(line.at_facility))
        if landing_dark and (not asset.night_capable or not facility.night_landing):
            return facility.location, line.at_facility
        if line.back_at_base is not None and not asset.night_capable:
            if is_night(asset.base.lat, asset.base.lon, self.at(line.back_at_base)):
                return asset.base, line.back_at_base
        return None
