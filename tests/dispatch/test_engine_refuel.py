"""Remote pickups: where one tank does not reach, the sortie refuels at a facility on the way out."""

import json

from medevac.dispatch.engine import get_policy
from medevac.dispatch.simulator import simulate, trace
from medevac.dispatch.tracecheck import check
from tests.dispatch.test_engine_escort import CARRIER, scenario, snapshot

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
    assert (sortie.refuel.depart - sortie.refuel.at).total_seconds() == 20 * 60


def test_without_a_refuelling_stop_it_is_unreachable_and_says_where_fuel_would_help():
    result, _ = simulate(remote_scenario(with_fuel=False), "closest")
    (far,) = result.unreachable
    assert result.unserved_unreachable == 1 and "range" in far.reason


def test_refuelled_sortie_passes_the_trace_checker(tmp_path):
    sc = remote_scenario()
    result, records = simulate(sc, "optimized", time_limit_s=0.5)
    assert result.unserved_reachable == result.unserved_unreachable == 0
    (tmp_path / "scenario.json").write_text(json.dumps(sc.model_dump(mode="json")))
    trace.write(str(tmp_path / "trace.jsonl"), records)
    assert check(tmp_path / "scenario.json", tmp_path / "trace.jsonl").violations == []
    assert any(r["type"] == "leg" and r["to"] == KAGA["location"] and not r["onboard"] for r in records)
