"""Urgency-first greedy: each patient group, most urgent first, takes the (asset, facility) that
hands it over earliest, counting assets that are busy now but free sooner than others arrive.

Used as the CP-SAT hint, as a candidate plan `optimized` compares against, and to chain later
sorties after the solver's first wave (`start`).
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.closest import commit, load
from medevac.dispatch.engine.context import PlanningContext, urgency
from medevac.dispatch.engine.sorties import Choice, fly_choices, patient_points

FACILITIES_TRIED = 3  # capable facilities with beds, nearest first, per (asset, patient)


def greedy_choices(ctx: PlanningContext, start: dict[str, list[Choice]] | None = None) -> dict[str, list[Choice]]:
    """The greedy plan; with `start`, those sorties stay first and the rest is chained after them."""
    launches = {a.id: ctx.launch(a) for a in ctx.assets}
    beds = {f.id: f.beds_left for f in ctx.facilities}
    choices: dict[str, list[Choice]] = {a.id: [] for a in ctx.assets}
    done: set[str] = set()
    if start:
        flown, _ = fly_choices(ctx, start)
        for f in flown:
            choices[f.asset.id].append(f.choice(ctx))
            commit(ctx, launches, f.asset, f.facility, f.line, f.escort)
            beds[f.facility.id] -= len(f.patients)
            done.update(p.id for p in f.patients)
    waiting = {site.index: [p for p in site.patients if p.id not in done] for site in ctx.sites}
    for lead in sorted((p for s in ctx.sites for p in s.patients), key=urgency):
        if lead.id in done:
            continue
        site = ctx.site_of[lead.id]
        best = _best_sortie(ctx, site, lead, launches, beds)
        if best is None:
            done.add(lead.id)
            continue
        choice = load(ctx, site, best, waiting, beds, launches)
        choices[best[0].id].append(choice)
        done.update(choice.patient_ids)
    return choices


def _best_sortie(ctx, site, lead, launches, beds):
    best, best_value = None, None
    bounded = sorted(((ctx.soonest_handover(a, launches[a.id], site), a.id), a)
                     for a in ctx.assets if not ctx.carry_rejects(a, lead))
    for (soonest, _), asset in bounded:
        if best_value is not None and patient_points(ctx, lead, soonest) < best_value:
            break  # points only fall with time: no asset left can beat the best by its bound
        tried = 0
        for index in ctx.facilities_by_distance[site.index]:
            facility = ctx.facilities[index]
            if beds[facility.id] <= 0 or rules.facility_rejects(facility, lead):
                continue
            tried += 1
            paired = ctx.paired(asset, launches[asset.id], site, facility, (), launches)
            if not isinstance(paired, str):
                line, escort = paired
                value = patient_points(ctx, lead, line.handover) - (line.free_at - line.wheels_up) / 60
                if best_value is None or value > best_value:
                    best, best_value = (asset, facility, line, escort), value
            if tried == FACILITIES_TRIED:
                break
    return best
