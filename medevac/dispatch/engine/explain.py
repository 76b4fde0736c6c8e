"""Per-request recommendations: the chosen sortie, its margin, and the next two alternatives
with why they lost; for a request no asset can serve in time, why, and the best late option."""

from dataclasses import dataclass

from medevac.dispatch.engine import reserve, rules, unreachable
from medevac.dispatch.engine.consolidate import propose
from medevac.dispatch.engine.context import PlanningContext, Site, urgency
from medevac.dispatch.engine.model import Alternative, Patient, PatientOutcome, Recommendation
from medevac.dispatch.engine.sorties import Flown
from medevac.dispatch.engine.travel import Timeline


FACILITIES_TRIED = 3  # per asset: the nearest capable facilities it could take the lead patient to

Options = list[tuple[str, str | None, Timeline | str]]


@dataclass
class Request:
    """One 9-line request: its patients (most urgent first) and every asset's best way to serve
    the lead alone. Computed before solving, as it does not depend on the plan chosen."""

    members: list[tuple[Patient, Site]]
    options: Options


def prepare(ctx: PlanningContext) -> dict[str, Request]:
    grouped: dict[str, list] = {}
    for site in ctx.sites:
        for p in site.patients:
            grouped.setdefault(p.request_id, []).append((p, site))
    out = {}
    for request_id, members in grouped.items():
        members.sort(key=lambda m: urgency(m[0]))
        out[request_id] = Request(members, _options(ctx, members[0][1], members[0][0]))
    return out


def recommendations(ctx: PlanningContext, flown: list[Flown], unassigned: dict[str, str],
                    prepared: dict[str, Request] | None = None) -> list[Recommendation]:
    by_patient = {p.id: f for f in flown for p in f.patients}
    requests = prepared if prepared is not None else prepare(ctx)
    recs = [_recommend(ctx, rid, request, by_patient, unassigned) for rid, request in requests.items()]
    reserve.explain(ctx, flown, recs, {rid: [p for p, _ in r.members] for rid, r in requests.items()})
    propose(ctx, flown, recs)  # where a ground move to one landing zone saves time
    return recs


def _margin(ctx: PlanningContext, patient, handover_s: int) -> float:
    return round((ctx.deadline_s(patient, ctx.standard_min(patient)) - handover_s) / 60, 1)


def _recommend(ctx, request_id: str, request: Request, by_patient: dict[str, Flown], unassigned) -> Recommendation:
    lead, site = request.members[0]
    outcomes = [_outcome(ctx, p, by_patient.get(p.id)) for p, _ in request.members]
    chosen = by_patient.get(lead.id)
    options = request.options
    rec = Recommendation(request_id=request_id, patients=outcomes)
    if chosen is not None:
        line = chosen.line
        rec.asset_id, rec.callsign = chosen.asset.id, chosen.asset.callsign
        if chosen.escort is not None:
            rec.escort_asset_id, rec.escort_callsign = chosen.escort.asset.id, chosen.escort.asset.callsign
            rec.escort_reason = _why_pair(ctx, chosen)
        rec.refuel = _refuelling(ctx, line)
        rec.facility_id = chosen.facility.id
        rec.wheels_up, rec.at_pickup = ctx.at(line.wheels_up), ctx.at(chosen.at_site(site))
        rec.at_facility = ctx.at(line.at_facility)
        rec.margin_min = _margin(ctx, lead, line.handover)
        rec.on_time = rec.margin_min >= 0
        key = (chosen.asset.id, chosen.facility.id)
        rec.alternatives = [_lost(ctx, lead, alt, line) for alt in options if alt[:2] != key][:2]
    else:
        rec.alternatives = [_lost(ctx, lead, alt, None) for alt in options][:2]
    if any(p.id not in by_patient for p, _ in request.members):
        rec.unreachable = _unreachable(ctx, request, by_patient, any(isinstance(o[2], Timeline) for o in options))
    if not rec.on_time:
        feasible = [alt for alt in options if isinstance(alt[2], Timeline)]
        in_time = [alt for alt in feasible if _margin(ctx, lead, alt[2].handover) >= 0]
        rec.unservable_in_time = _why_late(ctx, lead, options, in_time, unassigned.get(lead.id))
        if rec.unreachable and rec.unreachable[0].patient_id == lead.id:
            rec.unservable_in_time = unreachable.in_words(rec.unreachable[0])
        if feasible:
            best = feasible[0]
            rec.best_late_option = Alternative(
                asset_id=best[0], facility_id=best[1], at_facility=ctx.at(best[2].at_facility),
                margin_min=_margin(ctx, lead, best[2].handover), reason="earliest possible handover",
            )
    return rec


def _unreachable(ctx, request: Request, by_patient: dict[str, Flown], lead_reachable_now: bool) -> list:
    """The request's unplanned patients no aircraft can reach, once per kind of patient: by the
    bound when no aircraft can serve the lead now, else by the rules alone (same place as the lead)."""
    lead = request.members[0][0]
    seen: dict[tuple, object] = {}
    if lead_reachable_now:
        seen[_kind(lead)] = None
    found = []
    for patient, _ in request.members:
        if patient.id in by_patient:
            continue
        kind = _kind(patient)
        if kind not in seen:
            seen[kind] = unreachable.check(ctx, patient, bound=not lead_reachable_now)
        if seen[kind] is not None:
            found.append(seen[kind].model_copy(update={"patient_id": patient.id, "precedence": patient.precedence}))
    return found


def _kind(patient) -> tuple:
    return patient.precedence, patient.patient_type, tuple(patient.needs)


def _why_pair(ctx, chosen: Flown) -> str:
    escort = chosen.escort
    first = escort.visits[0]
    waits = f"; {chosen.asset.callsign} waits {round(escort.delay / 60)} min for it" if escort.delay else ""
    return (f"line 6 X: {chosen.asset.callsign} is unarmed, so {escort.asset.callsign} (armed) covers the landing "
            f"zone from {ctx.at(first[1]):%H:%MZ} until the carrier lifts off at {ctx.at(first[2]):%H:%MZ}, "
            f"the armed aircraft that keeps the carrier waiting least{waits}")


def _refuelling(ctx, line: Timeline) -> str | None:
    """The carrier's refuelling stops in words, for the card."""
    said = []
    for way, refuel in (("on the way out", line.refuel), ("on the way in, the patients aboard", line.refuel_in)):
        if refuel is not None:
            stop, arrive, depart = refuel
            said.append(f"{stop.name} {ctx.at(arrive):%H:%MZ}-{ctx.at(depart):%H:%MZ} {way}")
    return f"refuels at {'; '.join(said)} (one tank does not reach)" if said else None


def _outcome(ctx, patient, flown: Flown | None) -> PatientOutcome:
    outcome = PatientOutcome(patient_id=patient.id, precedence=patient.precedence, standard_min=ctx.standard_min(patient))
    if flown is not None:
        outcome.asset_id, outcome.facility_id = flown.asset.id, flown.facility.id
        outcome.at_facility = ctx.at(flown.line.at_facility)
        outcome.margin_min = _margin(ctx, patient, flown.line.handover)
    return outcome


def _options(ctx: PlanningContext, site: Site, lead) -> Options:
    """Each asset's best way to serve the lead patient alone, as if it were tasked first.

    Assets are timed soonest-bound first and only until no other can enter the top three (the
    chosen one and the next two alternatives); with fewer than three feasible, all are timed so
    the reasons why none can serve are complete."""
    found: Options = []
    handovers: list[int] = []
    carriers = []
    for asset in ctx.assets:
        reason = ctx.carry_rejects(asset, lead)
        if reason:
            found.append((asset.id, None, reason))
        else:
            launch = ctx.launch(asset)
            carriers.append((ctx.soonest_handover(asset, launch, site), asset.id, asset, launch))
    for bound, _, asset, launch in sorted(carriers, key=lambda c: c[:2]):
        if len(handovers) >= 3 and bound >= sorted(handovers)[2]:
            break
        best = _best_for(ctx, asset, launch, site, lead)
        if best is not None:
            found.append(best)
            if isinstance(best[2], Timeline):
                handovers.append(best[2].handover)
    found += [(aid, None, reason) for aid, reason in ctx.grounded.items()]
    return sorted(found, key=lambda o: (not isinstance(o[2], Timeline), o[2].handover if isinstance(o[2], Timeline) else 0))


def _best_for(ctx, asset, launch, site: Site, lead) -> tuple | None:
    """The asset's earliest handover over the nearest capable facilities (or why it cannot)."""
    best: tuple | None = None
    tried = 0
    for index in ctx.facilities_by_distance[site.index]:
        facility = ctx.facilities[index]
        refused = rules.facility_rejects(facility, lead)
        if tried == FACILITIES_TRIED or (refused and best is not None):
            continue
        tried += not refused
        line = refused or _escorted(ctx, asset, launch, site, facility)
        if isinstance(line, Timeline) and (best is None or not isinstance(best[2], Timeline)
                                           or line.handover < best[2].handover):
            best = (asset.id, facility.id, line)
        elif best is None:
            best = (asset.id, facility.id, line)
    return best


def _escorted(ctx, asset, launch, site: Site, facility) -> Timeline | str:
    """The option's timeline, waiting for the soonest escort where it needs one: the escort each
    asset would get is timed once per site, not per carrier (these are alternatives; the chosen
    sortie's own pairing is exact)."""
    over = ctx.escort_over(site) if site.hostile and not asset.armed else None
    if isinstance(over, str):
        return over
    line = ctx.timeline(asset, launch, site, facility)
    if isinstance(line, str) or over is None or over <= line.at_pickup:
        return line
    return ctx.timeline(asset, launch, site, facility, (), line.tasked_at + over - line.at_pickup)


def _lost(ctx, lead, alt, chosen: Timeline | None) -> Alternative:
    asset_id, facility_id, line = alt
    if not isinstance(line, Timeline):
        return Alternative(asset_id=asset_id, facility_id=facility_id, reason=line)
    margin = _margin(ctx, lead, line.handover)
    if chosen is None:
        reason = "not planned: needed elsewhere"
    elif line.handover >= chosen.handover:
        reason = f"later by {round((line.handover - chosen.handover) / 60)} min"
    else:
        reason = f"earlier by {round((chosen.handover - line.handover) / 60)} min but committed to more urgent patients"
    return Alternative(asset_id=asset_id, facility_id=facility_id, at_facility=ctx.at(line.at_facility),
                       margin_min=margin, reason=reason)


def _why_late(ctx, lead, options, in_time, unassigned_reason: str | None) -> str:
    if in_time:
        return "assets that could be in time are committed to more urgent patients"
    feasible = [o for o in options if isinstance(o[2], Timeline)]
    if not feasible:
        reasons = sorted({o[2] for o in options if isinstance(o[2], str)})
        return "no asset can serve it: " + "; ".join(reasons[:4])
    late_by = -_margin(ctx, lead, feasible[0][2].handover)
    return f"the fastest option reaches care {late_by:.0f} min after the {ctx.standard_min(lead)}-min standard"
