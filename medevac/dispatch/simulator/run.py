"""Discrete-event simulation of one scenario under one policy, deterministic for a seed.

Re-planning happens on every call (arrival), every asset state change (handover, back at base),
every planned launch time and every `TICK` of simulated time while patients wait. A sortie is
committed when its asset is tasked: from then on its legs are fixed (no re-routing in the air or
during notice to move: crews are briefed for one pickup, and a diverted aircraft breaks the
chain of custody the trace must prove). Only sorties not yet tasked are revised by re-planning.
"""

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.model import (
    AssetState, FacilityState, Join, Landing, Patient, Plan, Snapshot, Sortie, Underway,
)
from medevac.dispatch.engine.policies import get_policy
from medevac.dispatch.engine.travel import TravelModel
from medevac.dispatch.scenario import Asset, Casualty, Facility, Location, Scenario
from medevac.geo import is_night, iso, next_daylight
from medevac.dispatch.simulator import trace

TICK = timedelta(minutes=30)
HINDSIGHT_LOOKAHEAD = timedelta(hours=6)


@dataclass
class Fleet:
    """Where each asset is committed to be, and until when."""

    asset: Asset
    free_at: datetime
    at_facility: str | None = None  # free at this refuelling facility, crew airborne


@dataclass
class Committed:
    """A tasked sortie as the trace will show it: patients riding along are added to its legs."""

    sortie: Sortie
    legs: list[dict]  # the carrier's trace legs, in order
    litter: int
    ambulatory: int

    def ahead(self, now: datetime) -> Underway | None:
        s = self.sortie
        covered = {(v.location.lat, v.location.lon) for v in s.escort.visits} if s.escort else set()
        landings = [Landing(location=where, at=at, covered=(where.lat, where.lon) in covered)
                    for where, at in [(s.pickup, s.at_pickup)] + [(stop.location, stop.at) for stop in s.stops]
                    if at >= now]
        return Underway(asset_id=s.asset_id, landings=landings, facility_id=s.facility_id, handover_at=s.handover_at,
                        onboard_litter=self.litter, onboard_ambulatory=self.ambulatory) if landings else None


@dataclass
class Run:
    scenario: Scenario
    policy: str
    casualties: list[Casualty]
    time_limit_s: float
    records: list[dict] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    fallbacks: int = 0
    handovers: dict[str, list[tuple[str, datetime]]] = field(default_factory=dict)
    committed: dict[str, Committed] = field(default_factory=dict)  # asset id → its latest sortie


def simulate_run(scenario: Scenario, policy_name: str, casualties: list[Casualty], time_limit_s: float) -> Run:
    run = Run(scenario, policy_name, casualties, time_limit_s)
    policy = get_policy(policy_name)
    fleet = {a.id: Fleet(a, scenario.start) for a in scenario.assets}
    beds = {f.id: f.beds for f in scenario.facilities}
    waiting: dict[str, Casualty] = {}
    taken: set[str] = set()
    events: list[tuple[datetime, int]] = [(c.reported_at, 0) for c in casualties if c.reported_at < scenario.end]
    heapq.heapify(events)
    pending = iter(casualties)
    upcoming = next(pending, None)
    previous: Plan | None = None
    scheduled: set[datetime] = set()

    def schedule(moment: datetime) -> None:
        if moment not in scheduled:
            scheduled.add(moment)
            heapq.heappush(events, (moment, 0))

    while events:
        now = heapq.heappop(events)[0]
        while events and events[0][0] <= now:
            heapq.heappop(events)
        if now >= scenario.end:
            break
        while upcoming is not None and upcoming.reported_at <= now:
            waiting[upcoming.id] = upcoming
            upcoming = next(pending, None)
        for cid in [cid for cid in waiting if cid in taken]:
            del waiting[cid]
        # When every asset is busy nothing can be tasked (the next asset event re-plans), but a
        # call may still ride along with an aircraft on its way to that landing zone.
        if waiting and (any(f.free_at <= now for f in fleet.values())
                        or any(c.ahead(now) for c in run.committed.values())):
            snapshot = _snapshot(run, now, waiting, fleet, beds, taken)
            plan = policy.plan(snapshot, time_limit_s=time_limit_s, previous=previous, explain=False)
            run.latencies_ms.append(plan.solve_ms)
            run.fallbacks += plan.fallback
            previous = plan
            for moment in _commit(run, plan, now, fleet, beds, taken):
                schedule(moment)
        _send_home(run, fleet, now)
        for f in fleet.values():
            if f.free_at > now:
                schedule(f.free_at)
        if waiting and (not events or events[0][0] > now + TICK):  # time passing is an event too
            schedule(now + TICK)
    return run


def _snapshot(run: Run, now, waiting, fleet, beds, taken) -> Snapshot:
    sc = run.scenario
    open_now = list(waiting.values())
    if run.policy == "hindsight":  # it also knows the calls still to come
        horizon = now + HINDSIGHT_LOOKAHEAD
        open_now += [c for c in run.casualties if now < c.reported_at <= horizon and c.id not in taken]
    return Snapshot(
        now=now,
        patients=[Patient(**c.model_dump(), request_id=_request_id(c)) for c in open_now],
        assets=[_asset_state(f, now) for f in fleet.values()],
        facilities=[FacilityState(**f.model_dump(), free_beds=max(0, beds[f.id])) for f in sc.facilities],
        road_factor=sc.road_factor, load_min=sc.load_min, unload_min=sc.unload_min,
        underway=[u for c in run.committed.values() if (u := c.ahead(now)) is not None],
    )


def _request_id(c: Casualty) -> str:
    # One 9-line request per pickup point and incident.
    return c.incident or f"{c.location.lat:.4f},{c.location.lon:.4f}"


def _asset_state(f: Fleet, now: datetime) -> AssetState:
    busy = f.free_at > now
    status = "tasked" if busy and f.at_facility else "returning" if busy else "available"
    return AssetState(**f.asset.model_dump(), status=status, free_at=f.free_at if busy else None,
                      free_at_facility=f.at_facility)


def _commit(run: Run, plan: Plan, now, fleet, beds, taken) -> list[datetime]:
    """Task every idle asset whose first planned sortie starts now; return later launch times."""
    for join in plan.joins:
        _ride_along(run, join, beds, taken)
    wakes: list[datetime] = []
    first: dict[str, Sortie] = {}
    for sortie in plan.sorties:
        first.setdefault(sortie.asset_id, sortie)
    for asset_id, sortie in first.items():
        f = fleet[asset_id]
        if f.free_at > now:
            continue
        # A pair is tasked together when either must start (the carrier may wait for its escort).
        starts = min(sortie.tasked_at, sortie.escort.tasked_at) if sortie.escort else sortie.tasked_at
        if starts > now:
            wakes.append(starts)
            continue
        escort = fleet[sortie.escort.asset_id] if sortie.escort else None
        if escort is not None and escort.free_at > sortie.escort.tasked_at:
            continue  # its escort was committed elsewhere meanwhile: the next plan pairs anew
        facility = next(x for x in run.scenario.facilities if x.id == sortie.facility_id)
        run.records.append(trace.dispatch(now, plan, sortie))
        legs = trace.sortie_records(sortie, facility.location, f.asset.base)
        run.records += legs
        lying = sum(c.patient_type == "litter" for c in run.casualties if c.id in set(sortie.patient_ids))
        run.committed[asset_id] = Committed(sortie, [r for r in legs if r["type"] == "leg"], lying,
                                            len(sortie.patient_ids) - lying)
        if escort is not None:  # busy from now: it launches just in time, but is held for the pair
            run.records += trace.escort_records(sortie)
            escort.free_at, escort.at_facility = sortie.escort.back_at_base, sortie.escort.end_facility_id
        for pid in sortie.patient_ids:
            run.handovers.setdefault(pid, []).append((facility.id, sortie.handover_at))
        taken.update(sortie.patient_ids)
        beds[facility.id] -= len(sortie.patient_ids)
        f.free_at = sortie.returns_to_base_at or sortie.handover_at
        f.at_facility = None if sortie.returns_to_base_at else facility.id
    return wakes


def _ride_along(run: Run, join: Join, beds, taken) -> None:
    """Patients board a tasked aircraft where it lands: on every leg from there to the facility."""
    committed = run.committed[join.asset_id]
    boarding = False
    for record in committed.legs:
        boarding = boarding or (record["depart"] >= iso(join.at_pickup)
                                and record["from"] == trace.point(join.pickup))
        if boarding:
            record["onboard"] += join.patient_ids
            if record["arrive"] == iso(committed.sortie.at_facility):
                break
    run.records += [trace.handover(pid, join.facility_id, join.handover_at) for pid in join.patient_ids]
    for pid in join.patient_ids:
        run.handovers.setdefault(pid, []).append((join.facility_id, join.handover_at))
    lying = sum(c.patient_type == "litter" for c in run.casualties if c.id in set(join.patient_ids))
    committed.litter += lying
    committed.ambulatory += len(join.patient_ids) - lying
    taken.update(join.patient_ids)
    beds[join.facility_id] -= len(join.patient_ids)


def _send_home(run: Run, fleet: dict[str, Fleet], now: datetime) -> None:
    """An asset left idle at a forward facility flies back to its base."""
    sc = run.scenario
    travel = TravelModel(now, sc.road_factor, sc.load_min, sc.unload_min)
    for f in fleet.values():
        if f.at_facility is None or f.free_at > now:
            continue
        facility = next(x for x in sc.facilities if x.id == f.at_facility)
        km, seconds = travel.flight(f.asset, facility.location, f.asset.base)
        if km < 0.1:  # the facility is at its base: nothing to fly
            f.at_facility = None
            continue
        hop = None
        if km > f.asset.range_km:  # beyond one tank: home by way of a refuelling facility nearer to it
            hop = _hop_home(f.asset, facility, sc.facilities, travel)
            if hop is None:
                continue
            km, seconds = travel.flight(f.asset, facility.location, hop.location)
        arrive = now + timedelta(seconds=seconds)
        if _dark_leg(f.asset, facility.location, now, arrive):
            # A day-only crew stays at the facility until first light, still available there.
            dawn = next_daylight(facility.location.lat, facility.location.lon, now) or now + TICK
            f.free_at = max(dawn, now + timedelta(minutes=5))
            continue
        if hop is not None:
            run.records.append(trace.leg(f.asset.id, facility.location, hop.location, now, arrive, []))
            f.free_at, f.at_facility = arrive, hop.id
            continue
        run.records.append(trace.leg(f.asset.id, facility.location, f.asset.base, now, arrive, []))
        f.free_at, f.at_facility = arrive, None


def _hop_home(asset: Asset, here: Facility, facilities: list[Facility], travel: TravelModel) -> Facility | None:
    """The refuelling facility within one tank that leaves the asset nearest its base."""
    reachable = [f for f in facilities if f.refuel and f.id != here.id and not rules.landing_rejects(asset, f)
                 and travel.flight(asset, here.location, f.location)[0] <= asset.range_km]
    home = travel.flight(asset, here.location, asset.base)[0]
    closer = [f for f in reachable if travel.flight(asset, f.location, asset.base)[0] < home]
    return min(closer, key=lambda f: travel.flight(asset, f.location, asset.base)[0], default=None)


def _dark_leg(asset: Asset, origin: Location, depart: datetime, arrive: datetime) -> bool:
    if asset.night_capable or asset.kind == "ground":
        return False
    base = asset.base
    return is_night(origin.lat, origin.lon, depart) or is_night(base.lat, base.lon, arrive)
