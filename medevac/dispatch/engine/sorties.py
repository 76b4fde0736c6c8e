"""Turn a policy's choices (asset → ordered (site, facility, patients)) into a checked plan.

Every policy ends here, so the hard rules are enforced in one place: an infeasible choice is
dropped and its patients are reported unassigned with the reason.
"""

from dataclasses import dataclass

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import PlanningContext, Site
from medevac.dispatch.engine.escort import EscortLine
from medevac.dispatch.engine.model import (
    AssetState, Escort, EscortVisit, FacilityState, Patient, PickupStop, RefuelStop, Sortie,
)
from medevac.dispatch.engine.survival import survival
from medevac.dispatch.engine.travel import Launch, Timeline
from medevac.vocabulary import GOLDEN_HOUR_MIN

# Points per patient (the objective of DESIGN §2): expected survivors first (an urgent casualty
# saved is worth more than being on time), the 10-1-2 standards beside them, served ≫ minutes.
SURVIVOR_POINTS = 150_000
ON_TIME_POINTS = {"A": 100_000, "B": 60_000, "C": 10_000, "D": 2_000, "E": 1_000}
B_GOLDEN_HOUR_POINTS = 60_000
SERVED_POINTS = {"A": 20_000, "B": 20_000, "C": 6_000, "D": 1_500, "E": 800}
MINUTE_COST = {"A": 50, "B": 50, "C": 10, "D": 2, "E": 1}
FLIGHT_MINUTE_COST = 1
# An escort's minutes cost more: escorts are few, and one tied up leaves the next X incident
# uncovered (measured: without it, two pairs split one incident to gain minutes, and the next
# incident's urgent casualties waited an hour longer).
ESCORT_MINUTE_COST = 60
MINUTES_COUNTED = 240  # at the full minute cost; then a tenth of it up to a day
TAIL_MINUTES = 1440 - MINUTES_COUNTED
TAIL_RATE = 0.1


@dataclass(frozen=True)
class Choice:
    site: int
    facility: int
    patient_ids: tuple[str, ...]
    then: tuple[int, ...] = ()  # further pickup sites flown after `site`, before the facility
    escort: str | None = None  # the armed escort the policy paired (fly_choices may find a better one)


@dataclass
class Flown:
    """A checked sortie with the objects it refers to."""

    asset: AssetState
    site: Site
    facility: FacilityState
    patients: list[Patient]
    line: Timeline
    launch: Launch
    then: tuple[Site, ...] = ()
    escort: EscortLine | None = None

    def at_site(self, site: Site) -> int:
        """When the asset reaches this pickup of the sortie."""
        arrivals = dict(zip((s.index for s in self.then), (arrive for arrive, _ in self.line.stops)))
        return arrivals.get(site.index, self.line.at_pickup)

    def choice(self, ctx: PlanningContext) -> Choice:
        return Choice(self.site.index, ctx.facility_index[self.facility.id], tuple(p.id for p in self.patients),
                      tuple(s.index for s in self.then), self.escort.asset.id if self.escort else None)


def patient_points(ctx: PlanningContext, patient: Patient, handover_s: int) -> float:
    """The objective's value of handing this patient over at `handover_s`."""
    p = patient.precedence
    since_injury_min = (handover_s - ctx.deadline_s(patient, 0)) / 60
    points = SERVED_POINTS[p] + SURVIVOR_POINTS * survival(ctx.snapshot.survival[p], since_injury_min)
    if handover_s <= ctx.deadline_s(patient, ctx.standard_min(patient)):
        points += ON_TIME_POINTS[p]
    if p == "B" and handover_s <= ctx.deadline_s(patient, GOLDEN_HOUR_MIN):
        points += B_GOLDEN_HOUR_POINTS
    # Minutes from now: the full cost for four hours, a tenth of it for the rest of a day (hours
    # late still count, in remote theatres most waits are that long), then nothing, so that
    # serving a patient late always beats not serving them (SERVED_POINTS exceed the sum).
    minutes = max(0, handover_s) / 60
    counted = min(MINUTES_COUNTED, minutes) + TAIL_RATE * min(TAIL_MINUTES, max(0.0, minutes - MINUTES_COUNTED))
    return points - MINUTE_COST[p] * counted


def boarding_rejects(ctx: PlanningContext, asset: AssetState, facility: FacilityState, patient: Patient) -> str | None:
    return ctx.carry_rejects(asset, patient) or rules.facility_rejects(facility, patient)


def fly_choices(ctx: PlanningContext, choices: dict[str, list[Choice]]) -> tuple[list[Flown], dict[str, str]]:
    """Check and time every chosen sortie; returns the flown ones and unassigned patients.

    Chains are flown together, always the asset that can launch soonest next, so an escort's
    duty and its own sorties fall in time order and never overlap."""
    beds = {f.id: f.beds_left for f in ctx.facilities}
    taken: set[str] = set()
    flown: list[Flown] = []
    unassigned: dict[str, str] = {}
    assets = {a.id: a for a in ctx.assets}
    launches = {a.id: ctx.launch(a) for a in ctx.assets}
    queues = {aid: list(chain) for aid, chain in choices.items() if chain and aid in assets}
    while queues:
        asset_id = min(queues, key=lambda aid: (launches[aid].ready, aid))
        asset, choice = assets[asset_id], queues[asset_id].pop(0)
        if not queues[asset_id]:
            del queues[asset_id]
        result = _fly_one(ctx, asset, launches, choice, beds, taken)
        if isinstance(result, str):
            unassigned.update({pid: result for pid in choice.patient_ids if pid not in taken})
            continue
        flown.append(result)
        taken.update(p.id for p in result.patients)
        beds[result.facility.id] -= len(result.patients)
        launches[asset_id] = ctx.after(asset, result.facility, result.line)
        if result.escort is not None:
            launches[result.escort.asset.id] = result.escort.next_launch
    for pid in ctx.patients:
        if pid not in taken:
            unassigned.setdefault(pid, "no sortie planned")
    for pid in taken:
        unassigned.pop(pid, None)
    return flown, unassigned


def _fly_one(ctx, asset, launches, choice: Choice, beds: dict[str, int], taken: set[str]) -> Flown | str:
    facility = ctx.facilities[choice.facility]
    stops = (choice.site, *choice.then)
    patients = [ctx.patients[pid] for pid in choice.patient_ids if pid not in taken]
    patients = [p for p in patients if boarding_rejects(ctx, asset, facility, p) is None]
    patients = [p for p in patients if ctx.site_of[p.id].index in stops]
    patients = patients[: beds[facility.id]]
    litter = sum(p.patient_type == "litter" for p in patients)
    if not patients:
        return "no patient of this sortie may board or be received"
    boarding = {ctx.site_of[p.id].index for p in patients}  # points nobody boards at are not flown
    site, *rest = [ctx.sites[i] for i in stops if i in boarding]
    then = tuple(rest)
    if not rules.fits_aboard(asset, litter, len(patients) - litter):
        return "over capacity"
    launch = launches[asset.id]
    paired = ctx.paired(asset, launch, site, facility, then, launches, choice.escort)
    if isinstance(paired, str):
        return paired
    line, escort = paired
    return Flown(asset, site, facility, patients, line, launch, then, escort)


def score(ctx: PlanningContext, flown: list[Flown]) -> float:
    total = 0.0
    for sortie in flown:
        total += sum(patient_points(ctx, p, sortie.line.handover) for p in sortie.patients)
        total -= FLIGHT_MINUTE_COST * (sortie.line.free_at - sortie.line.wheels_up) / 60
        if sortie.escort is not None:
            total -= ESCORT_MINUTE_COST * (sortie.escort.back_at_base - sortie.escort.wheels_up) / 60
    return total


def to_escort(ctx: PlanningContext, e: EscortLine) -> Escort:
    return Escort(
        asset_id=e.asset.id, callsign=e.asset.callsign, tasked_at=ctx.at(e.tasked_at), wheels_up=ctx.at(e.wheels_up),
        start=e.launch.location, end=e.end, end_facility_id=e.end_facility.id if e.end_facility else None,
        back_at_base=ctx.at(e.back_at_base),
        distance_km=round(e.distance_km, 2),
        visits=[EscortVisit(location=place, at=ctx.at(start), leave=ctx.at(end)) for place, start, end in e.visits],
        refuel=to_refuel(ctx, e.refuel),
    )


def to_refuel(ctx: PlanningContext, stop: tuple | None) -> RefuelStop | None:
    """A (facility, arrive, depart) refuelling stop, as the plan shows it."""
    return None if stop is None else RefuelStop(facility_id=stop[0].id, location=stop[0].location,
                                                at=ctx.at(stop[1]), depart=ctx.at(stop[2]))


def to_sortie(ctx: PlanningContext, f: Flown) -> Sortie:
    line = f.line
    stops = [
        PickupStop(location=site.location, at=ctx.at(arrive), depart=ctx.at(depart),
                   patient_ids=[p.id for p in f.patients if ctx.site_of[p.id] is site])
        for site, (arrive, depart) in zip(f.then, line.stops)
    ]
    return Sortie(
        asset_id=f.asset.id,
        tasked_at=ctx.at(line.tasked_at),
        wheels_up=ctx.at(line.wheels_up),
        start=line.start,
        pickup=f.site.location,
        at_pickup=ctx.at(line.at_pickup),
        depart_pickup=ctx.at(line.depart_pickup),
        facility_id=f.facility.id,
        at_facility=ctx.at(line.at_facility),
        handover_at=ctx.at(line.handover),
        returns_to_base_at=None if line.back_at_base is None else ctx.at(line.back_at_base),
        patient_ids=[p.id for p in f.patients],
        distance_km=round(line.distance_km, 2),
        stops=stops,
        escort=to_escort(ctx, f.escort) if f.escort else None,
        refuel=to_refuel(ctx, line.refuel),
        refuel_in=to_refuel(ctx, line.refuel_in),
    )
