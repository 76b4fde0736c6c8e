"""No reachable patient waits while a capable aircraft stands idle without a reason.

An aircraft is idle when it is not on a tasked sortie and the plan gives it no sortie, as carrier
or as escort. For a pickup
whose most urgent patient is left unserved, or would be handed over sooner by an idle aircraft,
`try_idle` flies the plan again with that aircraft sent there as a dispatcher would (the nearest
capable facility, everyone waiting who fits aboard, the incident's other points) and measures
what it changes: the objective, expected survivors, and the lead's handover.

`fill_idle` is the post-pass of `optimized`: it keeps each such sortie that scores better,
unless the aircraft is held in reserve while the plan serves the patient later anyway (a reserve
never leaves a patient unserved). An aircraft is held in reserve when it is the only one
able to cover the pickup's area (its base within half its range) with a capability these
patients do not need (an armed escort, a hoist, night flying when darkness falls within
`NIGHT_AHEAD`), and using it would save fewer than `RESERVE_WORTH` expected survivors.
"""

import time
from dataclasses import dataclass, replace
from datetime import timedelta

from medevac.dispatch.engine.closest import load, nearest_facility
from medevac.dispatch.engine.context import PlanningContext, Site, incident_key, urgency
from medevac.dispatch.engine.model import AssetState, Patient
from medevac.dispatch.engine.sorties import Choice, Flown, fly_choices, score
from medevac.dispatch.engine.survival import survival
from medevac.dispatch.engine.travel import Launch
from medevac.geo import distance_km, is_night

RESERVE_WORTH = 0.1  # expected survivors (a tenth of an urgent casualty) that release a reserve aircraft
NIGHT_AHEAD = timedelta(hours=3)  # a night-capable aircraft is kept for the night when dark falls this soon
MAX_TRIALS = 12  # plans re-flown per decision, so a busy theatre keeps its time limit
WAIT_S = 300  # an idle aircraft that could be wheels up this much sooner makes a patient "wait"


@dataclass
class Pick:
    """The idle aircraft's sortie for the pickup, as a dispatcher would send it."""

    asset: AssetState
    choice: Choice
    wheels_up: int
    handover: int  # of the lead
    escort_waits: bool  # its escort has a duty in the plan first


@dataclass
class Trial:
    pick: Pick
    choices: dict[str, list[Choice]]
    flown: list[Flown]
    gain: float  # objective, with it minus without
    survivors: float  # expected survivors, with it minus without
    lead_handover: int | None  # of the lead in the plan with it
    delayed_others: list[int]  # seconds later, for each other patient the sortie makes later (or unserves: -1)


def expected_survivors(ctx: PlanningContext, flown: list[Flown]) -> float:
    return sum(survival(ctx.snapshot.survival[p.precedence], (f.line.handover - ctx.deadline_s(p, 0)) / 60)
               for f in flown for p in f.patients)


def handovers(flown: list[Flown]) -> dict[str, int]:
    return {p.id: f.line.handover for f in flown for p in f.patients}


def idle_assets(ctx: PlanningContext, flown: list[Flown]) -> list[AssetState]:
    """Not on a tasked sortie or escort duty, and given nothing by the plan (it may come free later)."""
    busy = {f.asset.id for f in flown} | {f.escort.asset.id for f in flown if f.escort}
    return [a for a in ctx.assets if a.id not in busy and a.status != "tasked"]


@dataclass
class After:
    """The plan once flown: where and when each aircraft launches next, beds left, who is served when."""

    launches: dict[str, Launch]
    beds: dict[str, int]
    served: dict[str, int]

    @classmethod
    def of(cls, ctx: PlanningContext, flown: list[Flown]) -> "After":
        launches = {a.id: ctx.launch(a) for a in ctx.assets}
        beds = {f.id: f.beds_left for f in ctx.facilities}
        for f in flown:
            launches[f.asset.id] = ctx.after(f.asset, f.facility, f.line)
            if f.escort is not None:
                launches[f.escort.asset.id] = f.escort.next_launch
            beds[f.facility.id] -= len(f.patients)
        return cls(launches, beds, handovers(flown))


def pick(ctx: PlanningContext, site: Site, lead: Patient, idle: list[AssetState], after: After,
         soonest: str = "handover") -> Pick | None:
    """The idle aircraft that would hand the lead over soonest (or be wheels up soonest: `soonest`),
    with its sortie (None: none can)."""
    launches, beds = after.launches, after.beds
    best = None
    if soonest == "handover":  # soonest by a bound no timeline beats, so the rest need not be timed
        idle = sorted(idle, key=lambda a: (ctx.soonest_handover(a, launches[a.id], site), a.id))
    for asset in idle:
        if best is not None and soonest == "handover" and \
                ctx.soonest_handover(asset, launches[asset.id], site) >= best[1][1].handover:
            break
        if ctx.carry_rejects(asset, lead):
            continue
        found = nearest_facility(ctx, asset, launches[asset.id], site, lead, beds, launches)
        if found is not None and (best is None or getattr(found[1], soonest) < getattr(best[1][1], soonest)):
            best = (asset, found)
    if best is None:
        return None
    asset, (facility, line, escort) = best
    # Everyone at this pickup may board (taken off a later sortie), and the incident's unserved elsewhere.
    sites = [site, *ctx.incident_sites({incident_key(p) for p in site.patients})]
    waiting = {s.index: [p for p in s.patients if s is site or p.id not in after.served] for s in sites}
    choice = load(ctx, site, (asset, facility, line, escort), waiting, dict(beds), dict(launches))
    waits = escort is not None and escort.delay > 0 and launches[escort.asset.id] != ctx.launch(escort.asset)
    return Pick(asset, choice, line.wheels_up, line.handover, waits)


def try_idle(ctx: PlanningContext, choices: dict[str, list[Choice]], flown: list[Flown], found: Pick,
             lead: Patient) -> Trial:
    """The plan flown again with the idle aircraft's sortie taking its patients."""
    moved = set(found.choice.patient_ids)  # taken off the sorties the plan had them on
    trial = {aid: [replace(c, patient_ids=tuple(p for p in c.patient_ids if p not in moved)) for c in chain]
             for aid, chain in choices.items()}
    trial = {aid: [c for c in chain if c.patient_ids] for aid, chain in trial.items()}
    trial[found.asset.id] = [*trial.get(found.asset.id, []), found.choice]
    with_it, _ = fly_choices(ctx, trial)
    before, after = handovers(flown), handovers(with_it)
    later = [after[pid] - t if pid in after else -1 for pid, t in before.items()
             if pid != lead.id and (pid not in after or after[pid] > t + 60)]
    return Trial(found, trial, with_it, score(ctx, with_it) - score(ctx, flown),
                 expected_survivors(ctx, with_it) - expected_survivors(ctx, flown), after.get(lead.id), later)


def reserved(ctx: PlanningContext, asset: AssetState, site: Site, patients: list[Patient]) -> str | None:
    """Why the aircraft is kept in reserve for this area, or None."""
    dark_soon = not is_night(site.location.lat, site.location.lon, ctx.now) and is_night(
        site.location.lat, site.location.lon, ctx.now + NIGHT_AHEAD)
    kinds = (
        ("armed escort", lambda a: a.armed and a.kind == "helicopter", any(p.security == "X" for p in patients)),
        ("hoist", lambda a: a.hoist, any(p.special_equipment == "B" for p in patients)),
        ("night-capable", lambda a: a.night_capable and dark_soon, False),
    )
    for name, has, needed in kinds:
        if has(asset) and not needed and not any(a.id != asset.id and has(a) and _covers(a, site) for a in ctx.assets):
            return f"kept in reserve: the only {name} aircraft for this area"
    return None


def _covers(asset: AssetState, site: Site) -> bool:
    return distance_km(asset.base.lat, asset.base.lon, site.location.lat, site.location.lon) <= asset.range_km / 2


def waiting_leads(ctx: PlanningContext, flown: list[Flown]) -> list[tuple[Site, Patient]]:
    """Per pickup, its most urgent unserved patient, else its most urgent one; most urgent first."""
    served = handovers(flown)
    leads = [(s, next((p for p in s.patients if p.id not in served), s.patients[0])) for s in ctx.sites]
    return sorted(leads, key=lambda sl: (sl[1].id in served, urgency(sl[1])))


def planned_for(lead: Patient, flown: list[Flown]) -> Flown | None:
    return next((f for f in flown if any(p.id == lead.id for p in f.patients)), None)


def without(ctx: PlanningContext, flown: list[Flown], lead: Patient, after: After) -> After:
    """The plan's state without the lead's own sortie (its escort, its beds free for the idle aircraft)."""
    planned = planned_for(lead, flown)
    return after if planned is None else After.of(ctx, [f for f in flown if f is not planned])


def waits(found: Pick, lead: Patient, flown: list[Flown]) -> bool:
    """Whether the lead waits while the idle aircraft could go: unserved, or it could be sooner."""
    planned = planned_for(lead, flown)
    return planned is None or found.handover < planned.line.handover - 60 or \
        found.wheels_up < planned.line.wheels_up - WAIT_S


def fill_idle(ctx: PlanningContext, choices: dict[str, list[Choice]], time_left) -> dict[str, list[Choice]]:
    """The plan with idle aircraft sent where they score better and are not held in reserve."""
    if time_left() <= 0:
        return choices
    started = time.perf_counter()
    flown, _ = fly_choices(ctx, choices)
    flight_s = time.perf_counter() - started  # a trial flies the plan once more: start one only with room for two
    after, spare = After.of(ctx, flown), idle_assets(ctx, flown)
    trials = 0
    for site, lead in waiting_leads(ctx, flown):
        if not spare or trials == MAX_TRIALS or time_left() < 2 * flight_s:
            break
        found = pick(ctx, site, lead, spare, without(ctx, flown, lead, after))
        if found is None or not waits(found, lead, flown):
            continue
        trials += 1
        trial = try_idle(ctx, choices, flown, found, lead)
        boarding = [ctx.patients[pid] for pid in found.choice.patient_ids]
        kept = lead.id in after.served and trial.survivors < RESERVE_WORTH and \
            reserved(ctx, found.asset, site, boarding)  # a reserve waits for no unserved patient
        if trial.gain > 0 and not kept:
            choices, flown = trial.choices, trial.flown
            after, spare = After.of(ctx, flown), idle_assets(ctx, flown)
    return choices
