"""Urgency-first greedy: each patient group, most urgent first, takes the (asset, facility) that
hands it over earliest, counting assets that are busy now but free sooner than others arrive.

Used as the CP-SAT hint and as a candidate plan `optimized` compares against.
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.closest import _board
from medevac.dispatch.engine.context import PlanningContext, urgency
from medevac.dispatch.engine.sorties import Choice, patient_points
from medevac.dispatch.engine.travel import Timeline


def greedy_choices(ctx: PlanningContext) -> dict[str, list[Choice]]:
    launches = {a.id: ctx.launch(a) for a in ctx.assets}
    beds = {f.id: f.beds_left for f in ctx.facilities}
    choices: dict[str, list[Choice]] = {a.id: [] for a in ctx.assets}
    waiting = {site.index: list(site.patients) for site in ctx.sites}
    queue = sorted((p for s in ctx.sites for p in s.patients), key=urgency)
    done: set[str] = set()
    site_of = {p.id: s for s in ctx.sites for p in s.patients}
    for lead in queue:
        if lead.id in done:
            continue
        site = site_of[lead.id]
        best = None
        for asset in ctx.assets:
            if rules.asset_rejects(asset, lead):
                continue
            for index in ctx.facilities_by_distance[site.index]:
                facility = ctx.facilities[index]
                if beds[facility.id] <= 0 or rules.facility_rejects(facility, lead):
                    continue
                line = ctx.timeline(asset, launches[asset.id], site, facility)
                if not isinstance(line, Timeline):
                    continue
                value = patient_points(ctx, lead, line.handover) - (line.free_at - line.wheels_up) / 60
                if best is None or value > best[0]:
                    best = (value, asset, facility, line)
        if best is None:
            done.add(lead.id)
            continue
        _, asset, facility, line = best
        aboard = _board(ctx, asset, facility, waiting[site.index], beds[facility.id])
        choices[asset.id].append(Choice(site.index, ctx.facility_index[facility.id], tuple(p.id for p in aboard)))
        beds[facility.id] -= len(aboard)
        launches[asset.id] = ctx.after(asset, facility, line)
        done.update(p.id for p in aboard)
        waiting[site.index] = [p for p in waiting[site.index] if p not in aboard]
    return choices
