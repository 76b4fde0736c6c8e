"""What every policy precomputes from a snapshot: pickup sites, launches, cached timelines."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.escort import MAX_RETIMES, EscortLine, best_escort, hostile_stops
from medevac.dispatch.engine.model import AssetState, FacilityState, Patient, Snapshot
from medevac.dispatch.engine.travel import REFUEL_MIN, Launch, Timeline, TravelModel
from medevac.dispatch.scenario import Location
from medevac.geo import distance_km

PRECEDENCE_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}


def incident_key(patient: Patient) -> str:
    """Casualties of one incident may lie at several points; a request without one is its own."""
    return patient.incident or patient.request_id


def urgency(patient: Patient) -> tuple:
    """Sort key: most urgent first (precedence, then earliest injury)."""
    return (PRECEDENCE_RANK[patient.precedence], patient.injured_at, patient.id)


@dataclass
class Site:
    """One pickup point with its waiting patients (most urgent first)."""

    index: int
    location: Location
    patients: list[Patient]
    not_before: int  # seconds after now before which no sortie may be tasked for it
    first_call: datetime = field(default=None)  # type: ignore[assignment]
    hostile: bool = field(init=False)  # line 6 X: an unarmed carrier lands here only under an armed escort

    def __post_init__(self) -> None:
        self.hostile = any(p.security == "X" for p in self.patients)


class PlanningContext:
    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self.now = snapshot.now
        self.travel = TravelModel(snapshot.now, snapshot.road_factor, snapshot.load_min, snapshot.unload_min)
        self.facilities: list[FacilityState] = list(snapshot.facilities)
        self.facility_index = {f.id: i for i, f in enumerate(self.facilities)}
        self.assets: list[AssetState] = [a for a in snapshot.assets if not rules.status_rejects(a)]
        self.grounded = {a.id: rules.status_rejects(a) for a in snapshot.assets if rules.status_rejects(a)}
        self.escorts = [a for a in self.assets if a.armed and a.kind == "helicopter"]
        self._escort_ids = {a.id for a in self.escorts}
        self.sites = self._group_sites(snapshot)
        self.patients = {p.id: p for p in snapshot.patients}
        self.site_of = {p.id: s for s in self.sites for p in s.patients}
        self._timelines: dict[tuple, Timeline | str] = {}
        self._fly_in: dict[int, Location] = {}  # site → its nearest facility's place
        self._refuel: dict[str, tuple[FacilityState, ...]] = {}  # asset kind → refuelling stops
        self._escort_over: dict[int, int | str] = {}  # site → soonest escort over it

    def _group_sites(self, snapshot: Snapshot) -> list[Site]:
        # Patients at one point whose calls are already in belong to one pickup; future calls
        # (hindsight only) form their own sites so nobody is picked up before being reported.
        groups: dict[tuple, list[Patient]] = {}
        for patient in sorted(snapshot.patients, key=urgency):
            ready = max(0, int((patient.reported_at - self.now).total_seconds()))
            # Line 6 X casualties form their own pickup: a carrier may take the others there unescorted.
            key = (round(patient.location.lat, 4), round(patient.location.lon, 4), ready, patient.security == "X")
            groups.setdefault(key, []).append(patient)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0][2], urgency(kv[1][0])))
        return [
            Site(i, members[0].location, members, key[2], min(p.reported_at for p in members))
            for i, (key, members) in enumerate(ordered)
        ]

    def launch(self, asset: AssetState) -> Launch:
        ready = 0 if asset.free_at is None else max(0, int((asset.free_at - self.now).total_seconds()))
        if asset.free_at_facility is not None and asset.free_at_facility in self.facility_index:
            facility = self.facilities[self.facility_index[asset.free_at_facility]]
            return Launch(facility.location, ready, at_base=False)
        return Launch(asset.free_location or asset.base, ready, at_base=True)

    def after(self, asset: AssetState, facility: FacilityState, line: Timeline) -> Launch:
        """Where the asset can launch from after a sortie to the facility."""
        if line.back_at_base is None:
            return Launch(facility.location, line.handover, at_base=False)
        return Launch(asset.base, line.back_at_base, at_base=True)

    def carry_rejects(self, asset: AssetState, patient: Patient) -> str | None:
        """Why the asset may not carry the patient here (an escort can cover an `X` pickup)."""
        return rules.asset_rejects(asset, patient, escort=len(self.escorts) > (asset.id in self._escort_ids))

    def timeline(self, asset: AssetState, launch: Launch, site: Site, facility: FacilityState,
                 then: tuple[Site, ...] = (), not_before: int = 0) -> Timeline | str:
        """Cached timeline (with `then`: further pickups before the facility); an airborne crew
        that would have to wait goes home first."""
        key = (asset.id, launch, site.index, facility.id, tuple(s.index for s in then), not_before)
        if key not in self._timelines:
            self._timelines[key] = self._timeline(asset, launch, site, facility, then, not_before)
        return self._timelines[key]

    def paired(self, asset: AssetState, launch: Launch, site: Site, facility: FacilityState,
               then: tuple[Site, ...], launches: dict[str, Launch],
               prefer: str | None = None) -> tuple[Timeline, EscortLine | None] | str:
        """The sortie's timeline and, where an unarmed carrier lands at an `X` pickup, its escort
        (the carrier re-timed to wait for it where it cannot be there in time)."""
        line = self.timeline(asset, launch, site, facility, then)
        sites = (site, *then)
        if isinstance(line, str):
            return line
        if asset.armed or not any(s.hostile for s in sites):
            return line, None
        places, hostile = tuple(s.location for s in sites), tuple(s.hostile for s in sites)
        for _ in range(MAX_RETIMES + 1):
            escort = best_escort(self, asset, hostile_stops(line, places, hostile), max(s.not_before for s in sites),
                                 launches, prefer)
            if isinstance(escort, str) or escort.delay == 0:
                return escort if isinstance(escort, str) else (line, escort)
            prefer = escort.asset.id
            line = self.timeline(asset, launch, site, facility, then, line.tasked_at + escort.delay)
            if isinstance(line, str):
                return line
        return "the carrier cannot be timed to meet its escort"

    def escort_over(self, site: Site) -> int | str:
        """A bound on the soonest any escort can be over the site (notice to move and night aside),
        or why none can: its fuel does not reach there (directly, or through a refuelling stop on
        the way out) and back to its base or a refuelling stop."""
        if site.index not in self._escort_over:
            times = []
            for escort in self.escorts:
                launch, zone, fuel = self.launches[escort.id], site.location, self.refuel_stops(escort)
                km_out, t_out = self.travel.flight(escort, launch.location, zone)
                km_back = min(self.travel.flight(escort, zone, p)[0] for p in (escort.base, *(f.location for f in fuel)))
                via = None if km_out + km_back <= escort.range_km else self.travel.refuel_stop(
                    escort, launch.location, zone, km_back, fuel)
                if via is not None:
                    t_out = via[1] + REFUEL_MIN * 60 + via[2]
                if via is not None or km_out + km_back <= escort.range_km:
                    times.append(max(launch.ready, site.not_before) + t_out)
            self._escort_over[site.index] = min(times) if times else "no armed escort can cover the landing zone"
        return self._escort_over[site.index]

    def _timeline(self, asset: AssetState, launch: Launch, site: Site, facility: FacilityState,
                  then: tuple[Site, ...], at_least: int = 0) -> Timeline | str:
        reason = rules.landing_rejects(asset, facility) or next(
            (r for s in (site, *then) if (r := rules.pickup_rejects(asset, s.location, self.facilities))), None)
        if reason:
            return reason
        places = tuple(s.location for s in then)
        not_before = max(at_least, *(s.not_before for s in (site, *then)))
        refuel = self.refuel_stops(asset)
        line = self.travel.timeline(asset, launch, site.location, facility, not_before, places, refuel=refuel)
        if isinstance(line, Timeline) and not launch.at_base and line.tasked_at > launch.ready and not at_least:
            _, t_home = self.travel.flight(asset, launch.location, asset.base)
            home = Launch(asset.base, launch.ready + t_home, at_base=True)
            return self.travel.timeline(asset, home, site.location, facility, not_before, places, refuel=refuel)
        return line

    def soonest_at_pickup(self, asset: AssetState, launch: Launch, site: Site) -> int:
        """A bound no timeline beats (notice to move, detours and daylight only add to it):
        lets the policies skip assets that cannot win without timing them."""
        at = max(launch.ready, site.not_before) + self.travel.flight(asset, launch.location, site.location)[1]
        if site.hostile and not asset.armed and isinstance(over := self.escort_over(site), int):
            at = max(at, over)  # it lands under its escort (escorts only get busier as a plan grows)
        return at

    def soonest_handover(self, asset: AssetState, launch: Launch, site: Site) -> int:
        if site.index not in self._fly_in:  # the nearest facility is the nearest for any speed
            nearest = self.facilities_by_distance[site.index][:1]
            self._fly_in[site.index] = self.facilities[nearest[0]].location if nearest else site.location
        fly_in = self.travel.flight(asset, site.location, self._fly_in[site.index])[1]
        return self.soonest_at_pickup(asset, launch, site) + self.travel.load_s + fly_in + self.travel.unload_s

    def deadline_s(self, patient: Patient, minutes: float) -> int:
        return int((patient.injured_at - self.now).total_seconds() + minutes * 60)

    def standard_min(self, patient: Patient) -> int:
        return self.snapshot.standards_min[patient.precedence]

    def refuel_stops(self, asset: AssetState) -> tuple[FacilityState, ...]:
        """Facilities where the asset may land to refuel on its way out."""
        if asset.kind not in self._refuel:
            self._refuel[asset.kind] = tuple(f for f in self.facilities if f.refuel and f.status != "closed"
                                             and not rules.landing_rejects(asset, f))
        return self._refuel[asset.kind]

    def incident_sites(self, keys: set[str]) -> list[Site]:
        """The sites where casualties of these incidents wait (an incident may be spread over points)."""
        return [self.sites[i] for i in sorted({i for k in keys for i in self._by_incident.get(k, ())})]

    @cached_property
    def _by_incident(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for site in self.sites:
            for p in site.patients:
                out.setdefault(incident_key(p), set()).add(site.index)
        return out

    @cached_property
    def launches(self) -> dict[str, Launch]:
        """Where and when each asset can launch first (before any sortie of a plan)."""
        return {a.id: self.launch(a) for a in self.assets}

    @cached_property
    def facilities_by_distance(self) -> list[list[int]]:
        """Per site, facility indices nearest first: the dispatcher's lookup table."""
        return [
            sorted(
                range(len(self.facilities)),
                key=lambda i: distance_km(
                    site.location.lat, site.location.lon,
                    self.facilities[i].location.lat, self.facilities[i].location.lon,
                ),
            )
            for site in self.sites
        ]

    def at(self, seconds: int) -> datetime:
        return self.travel.at(seconds)
