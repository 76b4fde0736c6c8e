"""The service's word for a patient no aircraft of the mission can reach at all, the simulator's.

A request's lead is unreachable when none of the mission's aircraft, each free at its base (or
airborne at a refuelling facility) and launched at the best moment, can hand it over anywhere:
the contention-free bound finds nothing. It is checked only when no aircraft can serve the lead
now, so a busy fleet costs nothing here. The reason and the nearest way that would work come
from `reach.explain`, as in the simulation result.
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.bounds import best_handovers
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.model import Patient, UnreachablePatient
from medevac.dispatch.engine.reach import explain
from medevac.dispatch.scenario import Asset, Casualty

FREE_AT_BASE = {"status": "available", "free_at": None, "free_location": None, "free_at_facility": None}


def fleet(ctx: PlanningContext) -> list[Asset]:
    """Every aircraft of the mission, free at its base whatever it does now: reachability is about the fleet."""
    return [a.model_copy(update=FREE_AT_BASE) for a in (*ctx.snapshot.assets, *ctx.snapshot.held_out)]


def check(ctx: PlanningContext, patient: Patient, bound: bool) -> UnreachablePatient | None:
    """Why no aircraft can reach the patient, or None when one can. `bound`: time the contention-free
    bound (the lead with no option now); otherwise only the rules that need no timing are checked
    (another patient of a request whose lead is reachable: same place, maybe other needs)."""
    assets = fleet(ctx) if bound else ctx.snapshot.assets
    if not assets:  # no fleet to judge by (every aircraft held out): the plan says why already
        return None
    if bound:
        casualty = Casualty.model_validate(patient.model_dump(exclude={"request_id"}))
        s = ctx.snapshot
        if best_handovers([casualty], assets, ctx.facilities, s.road_factor, s.load_min, s.unload_min)[patient.id]:
            return None
    elif _may_be_carried(ctx, patient, assets):
        return None
    reason, way = explain(patient, assets, ctx.facilities)
    return UnreachablePatient(patient_id=patient.id, precedence=patient.precedence, reason=reason, nearest_way=way)


def _may_be_carried(ctx: PlanningContext, patient: Patient, assets: list[Asset]) -> bool:
    escort = any(a.armed and a.kind == "helicopter" for a in assets)
    return any(rules.asset_rejects(a, patient, escort) is None for a in assets) and any(
        rules.facility_rejects(f, patient) is None for f in ctx.facilities)


def in_words(found: UnreachablePatient) -> str:
    way = f"; the nearest way that would work: {found.nearest_way}" if found.nearest_way else ""
    return f"no aircraft can reach it: {found.reason}{way}"
