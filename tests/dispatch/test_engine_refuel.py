"""Remote pickups: where one tank does not reach, the sortie refuels at a facility on the way out."""

import json

import pytest

from medevac.dispatch.engine import get_policy
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.simulator import simulate, trace
from medevac.dispatch.tracecheck import check
from tests.dispatch.test_engine_escort import CARRIER, GUNSHIP, ambush, scenario, snapshot

KAGA = {"id": "kaga-l2", "name": "Kaga Level II", "level": 2, "location": {"lat": 7.5, "lon": 21.2},
        "capabilities": ["resuscitation", "damage_control_surgery", "surgery"], "beds": 5, "icu_beds": 0,
        "operating_tables": 1, "helipad": True, "night_landing": True, "refuel": True}
SHORT_LEGGED = {**CARRIER, "range_km": 300}
REMOTE = [{"id": "r1", "injured_at": "2024-03-10T07:00:00Z", "reported_at": "2024-03-10T07:05:00Z",
           "location": {"lat": 8.5, "lon": 20.5}, "precedence": "B", "patient_type": "litter"}]


def remote_scenario(with_fuel=True):
    sc = scenario(REMOTE, [SHORT_LEGGED])
    facilities = [f.model_dump(mode="json") for f in sc.facilities] + ([KAGA] if with_fuel else [])
    return sc.model_copy(update={"facilities": [type(sc.facilities[0])(**f) for f in facilities]})


def test_a_remote_pickup_refuels_on_the_way_out():
    plan = get_policy("closest").plan(snapshot(remote_scenario()))
    (sortie,) = plan.sorties
    assert sortie.refuel.facility_id == "kaga-l2"
    assert sortie.wheels_up < sortie.refuel.at < sortie.refuel.depart < sortie.at_pickup
    assert plan.recommendations[0].refuel.startswith("refuels at Kaga Level II ")
    assert plan.recommendations[0].refuel.endswith(" on the way out (one tank does not reach)")
    assert (sortie.refuel.depart - sortie.refuel.at).total_seconds() == 20 * 60


def test_without_a_refuelling_stop_it_is_unreachable_and_says_where_fuel_would_help():
    result, _ = simulate(remote_scenario(with_fuel=False), "closest")
    (far,) = result.unreachable
    assert result.unserved_unreachable == 1 and "range" in far.reason


def served_and_checked(sc, tmp_path) -> list[dict]:
    """Simulate `optimized`: everyone served, the trace passes the checker; its records."""
    result, records = simulate(sc, "optimized", time_limit_s=0.5)
    assert result.unserved_reachable == result.unserved_unreachable == 0
    (tmp_path / "scenario.json").write_text(json.dumps(sc.model_dump(mode="json")))
    trace.write(str(tmp_path / "trace.jsonl"), records)
    assert check(tmp_path / "scenario.json", tmp_path / "trace.jsonl").violations == []
    return records


def test_refuelled_sortie_passes_the_trace_checker(tmp_path):
    records = served_and_checked(remote_scenario(), tmp_path)
    assert any(r["type"] == "leg" and r["to"] == KAGA["location"] and not r["onboard"] for r in records)


# The only armed aircraft is based 310 km north of the ambush with a 300 km tank: it reaches the
# landing zone only by refuelling at a forward facility halfway, then ends its duty at Bria.
MIDWAY = {**KAGA, "id": "midway", "name": "Midway FARP", "location": {"lat": 8.0, "lon": 22.3}}
FAR_GUNSHIP = {**GUNSHIP, "base": {"lat": 9.6, "lon": 22.4}, "range_km": 300}


def escort_refuel_scenario():
    sc = scenario(ambush(), [CARRIER, FAR_GUNSHIP])
    facilities = [f.model_dump(mode="json") for f in sc.facilities] + [MIDWAY]
    return sc.model_copy(update={"facilities": [type(sc.facilities[0])(**f) for f in facilities]})


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_an_escort_beyond_one_tank_refuels_on_the_way_out(policy):
    plan = get_policy(policy).plan(snapshot(escort_refuel_scenario()), time_limit_s=0.5)
    (sortie,) = plan.sorties
    escort = sortie.escort
    assert (sortie.asset_id, escort.asset_id) == ("mi8", "mi24") and len(sortie.patient_ids) == 4
    assert escort.refuel.facility_id == "midway"
    assert escort.wheels_up < escort.refuel.at < escort.refuel.depart < escort.visits[0].at
    assert (escort.refuel.depart - escort.refuel.at).total_seconds() == 20 * 60
    (visit,) = escort.visits
    assert visit.at <= sortie.at_pickup and visit.leave >= sortie.depart_pickup  # the carrier waits for it
    assert escort.end_facility_id == "bria-l2"
    (rec,) = plan.recommendations
    assert rec.escort_asset_id == "mi24"


def test_without_the_forward_stop_no_escort_covers_the_zone():
    sc = scenario(ambush(), [CARRIER, FAR_GUNSHIP])
    plan = get_policy("closest").plan(snapshot(sc))
    assert plan.sorties == []
    assert "no armed escort can cover the landing zone" in plan.recommendations[0].unservable_in_time


def test_escort_refuel_stop_is_in_the_trace_and_passes_the_checker(tmp_path):
    sc = escort_refuel_scenario()
    records = served_and_checked(sc, tmp_path)
    escort_legs = [r for r in records if r["type"] == "leg" and r.get("escorting")]
    assert {r["escorting"] for r in escort_legs} == {"mi8"} and not any(r["onboard"] for r in escort_legs)
    bria = next(f for f in sc.facilities if f.id == "bria-l2").location.model_dump()
    assert [r["to"] for r in escort_legs] == [MIDWAY["location"], ambush()[0]["location"], bria]


# Based at Ndele with a 250 km tank: the pickup is next door, but the only surgery (Bria) lies
# 280 km on. A fuel point without surgery halfway lets it carry the patient in, refuelling aboard.
NDELE_BASED = {**CARRIER, "id": "ndele-heli", "base": {"lat": 8.41, "lon": 20.65}, "range_km": 250}
FUEL_POINT = {**KAGA, "id": "fuel", "name": "Kaga fuel point", "level": 1, "capabilities": ["resuscitation"],
              "operating_tables": 0}
NEAR_NDELE = [{**REMOTE[0], "location": {"lat": 8.5, "lon": 20.5}, "needs": ["surgery"]}]


def inbound_scenario(with_fuel=True):
    sc = scenario(NEAR_NDELE, [NDELE_BASED])
    facilities = [f.model_dump(mode="json") for f in sc.facilities] + ([FUEL_POINT] if with_fuel else [])
    return sc.model_copy(update={"facilities": [type(sc.facilities[0])(**f) for f in facilities]})


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_a_facility_beyond_one_tank_from_the_pickup_is_reached_by_refuelling_on_the_way_in(policy):
    plan = get_policy(policy).plan(snapshot(inbound_scenario()), time_limit_s=0.5)
    (sortie,) = plan.sorties
    assert (sortie.facility_id, sortie.refuel) == ("bria-l2", None)
    stop = sortie.refuel_in
    assert stop.facility_id == "fuel"
    assert sortie.depart_pickup < stop.at < stop.depart < sortie.at_facility
    assert (stop.depart - stop.at).total_seconds() == 20 * 60
    (rec,) = plan.recommendations
    assert rec.refuel == (f"refuels at Kaga fuel point {stop.at:%H:%MZ}-{stop.depart:%H:%MZ} on the way in, "
                          "the patients aboard (one tank does not reach)")


def test_without_the_fuel_point_the_surgical_patient_is_unreachable():
    result, _ = simulate(inbound_scenario(with_fuel=False), "closest")
    assert result.unserved_unreachable == 1


def test_the_trace_shows_the_patient_aboard_at_the_fuel_stop_and_passes_the_checker(tmp_path):
    records = served_and_checked(inbound_scenario(), tmp_path)
    assert any(r["type"] == "leg" and r["to"] == FUEL_POINT["location"] and r["onboard"] == ["r1"] for r in records)



def test_after_dark_a_refuelling_stop_without_night_landings_is_named_as_the_reason():
    sc = inbound_scenario()
    dark_fuel = {**FUEL_POINT, "night_landing": False}
    sc = sc.model_copy(update={
        "facilities": [f if f.id != "fuel" else type(f)(**dark_fuel) for f in sc.facilities],
        "casualties": [c.model_copy(update={"injured_at": c.injured_at.replace(hour=20),
                                            "reported_at": c.reported_at.replace(hour=20)}) for c in sc.casualties]})
    ctx = PlanningContext(snapshot(sc))
    (heli,) = ctx.assets
    bria = ctx.facilities[ctx.facility_index["bria-l2"]]
    assert ctx.timeline(heli, ctx.launch(heli), ctx.sites[0], bria) == \
        "refuelling stop Kaga fuel point takes no night landings"
    assert get_policy("closest").plan(ctx.snapshot).sorties == []
