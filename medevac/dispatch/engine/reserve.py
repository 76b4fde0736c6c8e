"""Why an aircraft stands idle while a reachable patient waits, and what keeping it costs.

For each request whose most urgent waiting patient is unserved, or would be handed over (or
wheels up) sooner by an idle aircraft, the recommendation names the aircraft, why the plan keeps
it (held in reserve for what, held for more urgent patients, or the patient is better served
later by another aircraft), and the predicted cost: minutes of delay and expected survivors
(engine/survival.py), from the plan flown again with it (`idle.try_idle`).
"""

import time

from medevac.dispatch.engine import idle
from medevac.dispatch.engine.context import PlanningContext, urgency
from medevac.dispatch.engine.model import IdleAircraft, Recommendation
from medevac.dispatch.engine.sorties import Choice, Flown
from medevac.dispatch.engine.survival import survival

TRIALS_S = 0.03  # re-flying the plan per request; past it, the cost is the lead's alone (no decision waits)
PICKS_S = 0.1  # looking for idle aircraft at all; past it, the least urgent requests get no note


def explain(ctx: PlanningContext, flown: list[Flown], recs: list[Recommendation], members: dict[str, list]) -> None:
    """Fill `idle` on the recommendations whose patients wait while an aircraft stands idle."""
    spare = idle.idle_assets(ctx, flown)
    if not spare:
        return
    choices: dict[str, list[Choice]] = {}
    for f in flown:
        choices.setdefault(f.asset.id, []).append(f.choice(ctx))
    after = idle.After.of(ctx, flown)
    served = after.served
    started = time.perf_counter()
    for rec in sorted(recs, key=lambda r: urgency(members[r.request_id][0])):
        if time.perf_counter() - started > PICKS_S:
            break  # most urgent first: a flood of calls must not hold every decision up
        patients = members[rec.request_id]
        lead = next((p for p in patients if p.id not in served), patients[0])
        site = ctx.site_of[lead.id]
        state = idle.without(ctx, flown, lead, after)
        found = next((f for key in ("handover", "wheels_up") if (f := idle.pick(ctx, site, lead, spare, state, key))
                      and idle.waits(f, lead, flown)), None)
        if found is None:
            continue
        in_time = time.perf_counter() - started < TRIALS_S
        trial = idle.try_idle(ctx, choices, flown, found, lead) if in_time else None
        rec.idle = _said(ctx, flown, found, trial, lead, site)


def _said(ctx, flown: list[Flown], found: idle.Pick, trial: idle.Trial | None, lead, site) -> IdleAircraft:
    planned = idle.planned_for(lead, flown)
    handover = trial.lead_handover if trial and trial.lead_handover is not None else found.handover
    curve = ctx.snapshot.survival[lead.precedence]
    if trial is not None:
        survivors = trial.survivors
    else:  # out of trials: the lead alone
        before = planned.line.handover if planned else None
        survivors = survival(curve, _since(ctx, lead, handover)) - (
            survival(curve, _since(ctx, lead, before)) if before is not None else 0.0)
    delay = None if planned is None else round((planned.line.handover - handover) / 60, 1)
    return IdleAircraft(
        asset_id=found.asset.id, callsign=found.asset.callsign, wheels_up=ctx.at(found.wheels_up),
        at_facility=ctx.at(handover), delay_min=delay, survivors_cost=round(survivors, 3),
        reason=_reason(ctx, found, trial, planned, delay, survivors, site),
    )


def _since(ctx, patient, handover: int) -> float:
    return (handover - ctx.deadline_s(patient, 0)) / 60


def _reason(ctx, found: idle.Pick, trial, planned: Flown | None, delay: float | None, survivors: float, site) -> str:
    name = found.asset.callsign
    boarding = [ctx.patients[pid] for pid in found.choice.patient_ids]
    reserve = idle.reserved(ctx, found.asset, site, boarding)
    if reserve and planned is not None and survivors < idle.RESERVE_WORTH:
        return f"{reserve}; here it would save {survivors:.2f} expected survivors, under the {idle.RESERVE_WORTH} that releases it"
    if planned is not None and delay is not None and delay <= 0:
        return (f"better served later by {planned.asset.callsign}, which hands the patient over "
                f"{-delay:.0f} min sooner than {name} could although {name} could be wheels up sooner")
    if trial is None:
        return f"not used by this plan although it would hand the patient over sooner: consider tasking {name}"
    if trial.gain > 0:
        return f"not used by this plan although the plan scores better with it: consider tasking {name}"
    if found.escort_waits:
        return f"{name} would wait for its armed escort, which the plan holds for a more urgent line 6 X pickup first"
    if trial.delayed_others:
        unserved = sum(d < 0 for d in trial.delayed_others)
        worst = max(trial.delayed_others) / 60
        hurt = f"{len(trial.delayed_others)} other patient(s)" + (f", {unserved} of them left unserved" if unserved
                                                                  else f", by up to {worst:.0f} min")
        return f"held for more urgent patients in the plan: flying it here delays {hurt}"
    return (f"the minutes {name} would gain for this precedence {_lead_precedence(boarding)} patient are worth "
            "less than its flight")


def _lead_precedence(patients) -> str:
    return min((p.precedence for p in patients), default="?")
