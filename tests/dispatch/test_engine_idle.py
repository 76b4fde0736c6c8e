"""No reachable patient waits while a capable aircraft stands idle unless the recommendation says
why (kept in reserve for what, held for whom, or better served later) and at what predicted cost;
without such a reason the plan uses it."""

from medevac.dispatch.engine import get_policy
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.closest import closest_choices
from medevac.dispatch.engine.idle import RESERVE_WORTH, fill_idle
from medevac.dispatch.engine.sorties import Choice, fly_choices, score
from medevac.dispatch.engine.explain import recommendations
from tests.dispatch.test_engine_escort import CARRIER, GUNSHIP, ambush, scenario, snapshot

PICKUP = (6.8, 22.1)  # about 30 km from Bria, where the Level II is
# Ready in five minutes, but slow and 95 km out: it could be wheels up first, it would hand over last.
QUICK_SLOW = {**CARRIER, "id": "bell", "callsign": "UNO 34", "base": {"lat": 7.2, "lon": 22.6}, "cruise_kmh": 150,
              "notice_to_move_min": {"day": 5, "night": 10}}

# Farther out and later at the pickup, but so fast it hands over first; the only hoist in the area.
FAST_HOIST = {**CARRIER, "id": "rescue", "callsign": "RESCUE 1", "base": {"lat": 7.55, "lon": 22.5}, "cruise_kmh": 400,
              "hoist": True, "notice_to_move_min": {"day": 10, "night": 10}}


def casualty(cid="c1", precedence="A", where=PICKUP, **extra):
    return {"id": cid, "injured_at": "2024-03-10T07:00:00Z", "reported_at": "2024-03-10T07:00:00Z",
            "location": {"lat": where[0], "lon": where[1]}, "precedence": precedence, "patient_type": "litter",
            **extra}


def test_an_idle_aircraft_that_could_go_sooner_is_named_with_why_the_plan_is_better():
    plan = get_policy("closest").plan(snapshot(scenario([casualty()], (CARRIER, QUICK_SLOW))))
    (sortie,) = plan.sorties
    assert sortie.asset_id == "mi8"
    (rec,) = plan.recommendations
    idle = rec.idle
    assert (idle.asset_id, idle.callsign) == ("bell", "UNO 34")
    assert idle.wheels_up < sortie.wheels_up  # it could be wheels up sooner...
    assert idle.at_facility > sortie.handover_at and idle.delay_min < 0  # ...but would hand over later
    assert idle.survivors_cost < 0  # keeping it idle gives up nothing: the plan saves more
    assert idle.reason.startswith("better served later by UNO 8")


def test_no_idle_note_when_every_capable_aircraft_flies_or_is_slower_to_launch():
    slow_to_launch = {**QUICK_SLOW, "notice_to_move_min": {"day": 60, "night": 60}}
    (rec,) = get_policy("closest").plan(snapshot(scenario([casualty()], (CARRIER, slow_to_launch)))).recommendations
    assert rec.asset_id == "mi8" and rec.idle is None


def test_the_post_pass_sends_an_idle_aircraft_to_a_patient_the_plan_left_waiting():
    ctx = PlanningContext(snapshot(scenario([casualty("a1"), casualty("c2", "C", where=(6.7, 21.8))],
                                            (CARRIER, QUICK_SLOW))))
    choices = {"mi8": [Choice(ctx.site_of["a1"].index, ctx.facility_index["bria-l2"], ("a1",))]}
    flown, unassigned = fly_choices(ctx, choices)
    assert set(unassigned) == {"c2"}
    flown_after, unassigned_after = fly_choices(ctx, fill_idle(ctx, choices, lambda: 1.0))
    assert unassigned_after == {} and score(ctx, flown_after) > score(ctx, flown)
    assert {f.asset.id for f in flown_after} == {"mi8", "bell"}


def test_the_only_hoist_aircraft_is_kept_in_reserve_and_the_card_says_at_what_cost():
    sc = scenario([casualty(precedence="C")], (CARRIER, FAST_HOIST))
    plan = get_policy("closest").plan(snapshot(sc))
    (sortie,) = plan.sorties
    (rec,) = plan.recommendations
    assert sortie.asset_id == "mi8" and rec.idle.asset_id == "rescue"
    assert rec.idle.reason.startswith("kept in reserve: the only hoist aircraft for this area")
    assert rec.idle.at_facility < sortie.handover_at and rec.idle.delay_min > 0  # the patient waits longer...
    assert 0 < rec.idle.survivors_cost < RESERVE_WORTH  # ...for less than releases a reserve
    ctx = PlanningContext(snapshot(sc))
    choices = closest_choices(ctx)
    assert fill_idle(ctx, choices, lambda: 1.0) == choices  # the post-pass keeps it too


def test_without_a_reason_to_keep_it_the_post_pass_uses_the_faster_aircraft():
    ctx = PlanningContext(snapshot(scenario([casualty(precedence="C")], (CARRIER, {**FAST_HOIST, "hoist": False}))))
    choices = closest_choices(ctx)
    assert [aid for aid, chain in choices.items() if chain] == ["mi8"]
    filled = fill_idle(ctx, choices, lambda: 1.0)
    flown, _ = fly_choices(ctx, filled)
    assert [f.asset.id for f in flown] == ["rescue"]
    (rec,) = get_policy("optimized").plan(ctx.snapshot, time_limit_s=0.5).recommendations
    assert rec.asset_id == "rescue" and rec.idle is None


def two_pickups_one_carrier(hostile: bool):
    """A plan (by hand) where one carrier flies two pickups in turn and a second carrier idles."""
    second = {**CARRIER, "id": "mi17", "callsign": "UNO 17"}
    casualties = ambush(n=2) + ambush((6.7, 21.7), n=2, incident="camp")
    if not hostile:
        casualties = [{**c, "security": "N"} for c in casualties]
    ctx = PlanningContext(snapshot(scenario(casualties, (CARRIER, second, GUNSHIP))))
    first, later = (ctx.site_of[cid].index for cid in ("ambush0", "camp0"))
    bria = ctx.facility_index["bria-l2"]
    choices = {"mi8": [Choice(first, bria, ("ambush0", "ambush1")), Choice(later, bria, ("camp0", "camp1"))]}
    flown, unassigned = fly_choices(ctx, choices)
    assert unassigned == {} and {f.asset.id for f in flown} == {"mi8"}
    return ctx, choices, flown, {r.request_id: r for r in recommendations(ctx, flown, unassigned)}


def test_a_plan_that_leaves_a_carrier_idle_for_no_reason_says_so_and_the_post_pass_uses_it():
    ctx, choices, flown, recs = two_pickups_one_carrier(hostile=False)
    idle = recs["camp"].idle
    assert (idle.asset_id, idle.callsign) == ("mi17", "UNO 17") and idle.delay_min > 0 and idle.survivors_cost > 0
    assert idle.reason == "not used by this plan although the plan scores better with it: consider tasking UNO 17"
    assert recs["ambush"].idle is None  # its patients fly first
    filled, _ = fly_choices(ctx, fill_idle(ctx, choices, lambda: 1.0))
    assert {f.asset.id for f in filled} == {"mi8", "mi17"} and score(ctx, filled) > score(ctx, flown)


def test_where_the_one_escort_is_the_bottleneck_an_idle_carrier_could_not_go_sooner():
    ctx, choices, flown, recs = two_pickups_one_carrier(hostile=True)
    assert [f.escort.asset.id for f in flown] == ["mi24", "mi24"]
    assert recs["camp"].idle is None  # UNO 17 would wait for the gunship as long as UNO 8 does
    assert fill_idle(ctx, choices, lambda: 1.0) == choices
