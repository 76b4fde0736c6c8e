"""Collecting an incident in one sortie: casualties of one incident at points 0.2-2 km apart."""

import json

import pytest

from medevac.dispatch.engine import get_policy
from medevac.dispatch.simulator import simulate, trace
from medevac.dispatch.tracecheck import check
from tests.dispatch.test_engine_escort import CARRIER, GUNSHIP, scenario, snapshot

# A convoy strung along 2 km of road 150 km from the only helicopter's base.
POINTS = [(7.60, 23.00), (7.6018, 23.0), (7.6045, 23.001), (7.608, 23.003), (7.612, 23.006), (7.617, 23.008)]


def convoy(security="P", at="07:00"):
    return [{"id": f"c{i}", "injured_at": f"2024-03-10T{at}:00Z", "reported_at": f"2024-03-10T{at}:00Z",
             "location": {"lat": lat, "lon": lon}, "precedence": "ABCCDD"[i], "patient_type": "litter",
             "security": security, "incident": "convoy"} for i, (lat, lon) in enumerate(POINTS)]


def test_one_aircraft_lands_at_each_point_in_turn():
    plan = get_policy("closest").plan(snapshot(scenario(convoy(), [{**CARRIER, "litters": 12}])))
    (sortie,) = plan.sorties
    assert sorted(sortie.patient_ids) == [f"c{i}" for i in range(6)]
    assert len(sortie.stops) == 5
    times = [sortie.at_pickup, sortie.depart_pickup] + [t for stop in sortie.stops for t in (stop.at, stop.depart)]
    assert times == sorted(times)
    assert all((stop.depart - stop.at).total_seconds() == 600 for stop in sortie.stops)  # load_min at each


def test_optimized_collects_too_and_scores_at_least_the_dispatcher():
    """It may split the convoy (urgent casualties first, the rest on a second sortie) where that
    scores higher, never fly one point per sortie from 150 km away."""
    snap = snapshot(scenario(convoy(), [{**CARRIER, "litters": 12}]))
    plan = get_policy("optimized").plan(snap, time_limit_s=2.0)
    assert sorted(p for s in plan.sorties for p in s.patient_ids) == [f"c{i}" for i in range(6)]
    assert any(len(s.stops) >= 2 for s in plan.sorties)
    assert plan.score >= get_policy("closest").plan(snap).score


def test_a_sortie_stops_where_the_aircraft_is_full():
    plan = get_policy("closest").plan(snapshot(scenario(convoy(), [{**CARRIER, "litters": 4, "seats": 0}])))
    assert [len(s.patient_ids) for s in plan.sorties] == [4, 2]


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_collected_x_convoy_is_escorted_at_every_point_and_passes_the_checker(policy, tmp_path):
    sc = scenario(convoy("X"), [{**CARRIER, "litters": 12}, {**GUNSHIP, "range_km": 600}])
    result, records = simulate(sc, policy, time_limit_s=2.0)
    assert result.unserved_reachable == 0
    dispatches = [r for r in records if r["type"] == "dispatch"]
    assert all(d["escort"] == "mi24" for d in dispatches) and len(dispatches[0]["stops"]) >= 2
    (tmp_path / "scenario.json").write_text(json.dumps(sc.model_dump(mode="json")))
    trace.write(str(tmp_path / "trace.jsonl"), records)
    assert check(tmp_path / "scenario.json", tmp_path / "trace.jsonl").violations == []
