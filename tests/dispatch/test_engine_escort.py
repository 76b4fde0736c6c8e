"""Armed escorts: an unarmed carrier lands at a Line 6 X pickup only with an armed escort over it."""

import json

import pytest

from medevac.dispatch.engine import AssetState, FacilityState, Patient, Snapshot, get_policy
from medevac.dispatch.scenario import Scenario
from medevac.dispatch.simulator import simulate, trace
from medevac.dispatch.tracecheck import check
from tests.dispatch.test_simulator import THEATRE

CARRIER = {"id": "mi8", "callsign": "UNO 8", "kind": "helicopter", "role": "medevac",
           "base": {"lat": 6.54, "lon": 21.99}, "cruise_kmh": 220, "range_km": 600, "litters": 8, "seats": 8,
           "night_capable": True, "hoist": False, "armed": False, "notice_to_move_min": {"day": 15, "night": 30}}
GUNSHIP = {"id": "mi24", "callsign": "HIND 1", "kind": "helicopter", "role": "casevac",
           "base": {"lat": 6.9, "lon": 22.4}, "cruise_kmh": 260, "range_km": 450, "litters": 0, "seats": 2,
           "night_capable": True, "hoist": False, "armed": True, "notice_to_move_min": {"day": 20, "night": 30}}


def ambush(where=(6.8, 22.1), n=4, incident="ambush", at="07:00"):
    return [{"id": f"{incident}{i}", "injured_at": f"2024-03-10T{at}:00Z", "reported_at": f"2024-03-10T{at}:00Z",
             "location": {"lat": where[0], "lon": where[1]}, "precedence": "AB"[i % 2], "patient_type": "litter",
             "security": "X", "incident": incident} for i in range(n)]


def scenario(casualties, assets=(CARRIER, GUNSHIP)) -> Scenario:
    theatre = {k: v for k, v in THEATRE.items() if k != "arrivals"}
    return Scenario.model_validate({**theatre, "scripted_events": [], "assets": list(assets),
                                    "casualties": casualties})


def snapshot(sc: Scenario) -> Snapshot:
    return Snapshot(now=sc.casualties[0].reported_at,
                    patients=[Patient(**c.model_dump(), request_id=c.incident or c.id) for c in sc.casualties],
                    assets=[AssetState(**a.model_dump()) for a in sc.assets],
                    facilities=[FacilityState(**f.model_dump()) for f in sc.facilities])


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_unarmed_carrier_flies_an_x_pickup_with_the_gunship_over_it(policy):
    plan = get_policy(policy).plan(snapshot(scenario(ambush())), time_limit_s=0.5)
    (sortie,) = plan.sorties
    assert sortie.asset_id == "mi8" and len(sortie.patient_ids) == 4
    escort = sortie.escort
    assert escort.asset_id == "mi24"
    (visit,) = escort.visits
    assert visit.at <= sortie.at_pickup and visit.leave >= sortie.depart_pickup
    assert escort.tasked_at >= plan.now and escort.back_at_base > visit.leave
    (rec,) = plan.recommendations
    assert (rec.asset_id, rec.escort_asset_id) == ("mi8", "mi24") and "line 6 X" in rec.escort_reason


def test_no_escort_no_x_pickup():
    far_gunship = {**GUNSHIP, "base": {"lat": 10.5, "lon": 25.0}, "range_km": 300}
    plan = get_policy("closest").plan(snapshot(scenario(ambush(), (CARRIER, far_gunship))))
    assert plan.sorties == [] and set(plan.unassigned) == {f"ambush{i}" for i in range(4)}
    (rec,) = plan.recommendations
    assert "no armed escort can cover the landing zone" in rec.unservable_in_time


def test_an_escort_covers_one_landing_zone_at_a_time():
    both = ambush() + ambush((6.7, 21.7), incident="camp")
    second_carrier = {**CARRIER, "id": "mi17", "callsign": "UNO 17"}
    plan = get_policy("closest").plan(snapshot(scenario(both, (CARRIER, second_carrier, GUNSHIP))))
    escorted = sorted((s for s in plan.sorties if s.escort), key=lambda s: s.escort.tasked_at)
    assert len(escorted) == 2 and {s.asset_id for s in escorted} == {"mi8", "mi17"}
    assert escorted[1].escort.tasked_at >= escorted[0].escort.back_at_base


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_simulated_pairs_pass_the_trace_checker(policy, tmp_path):
    sc = scenario(ambush() + ambush((6.7, 21.7), incident="camp", at="07:20"))
    result, records = simulate(sc, policy, time_limit_s=0.5)
    assert result.unserved_reachable == 0
    escort_legs = [r for r in records if r["type"] == "leg" and r.get("escorting")]
    assert {r["asset"] for r in escort_legs} == {"mi24"} and len(escort_legs) >= 4
    (tmp_path / "scenario.json").write_text(json.dumps(sc.model_dump(mode="json")))
    trace.write(str(tmp_path / "trace.jsonl"), records)
    report = check(tmp_path / "scenario.json", tmp_path / "trace.jsonl")
    assert report.violations == []
