"""The simulator: deterministic per seed, physical, and its trace alone reproduces its metrics."""

import argparse
import json

import pytest

from medevac.dispatch import commands
from medevac.dispatch.scenario import Scenario
from medevac.dispatch.simulator import metrics_from_trace, scenario_casualties, simulate

THEATRE = {
    "name": "bria-small", "start": "2024-03-10T04:00:00Z", "duration_hours": 10,
    "road_factor": 1.4, "load_min": 10, "unload_min": 10,
    "facilities": [
        {"id": "bria-l2", "name": "Bria L2", "level": 2, "location": {"lat": 6.54, "lon": 21.99},
         "capabilities": ["resuscitation", "damage_control_surgery", "surgery", "blood"], "beds": 8,
         "icu_beds": 2, "operating_tables": 1, "helipad": True, "night_landing": True, "refuel": True},
        {"id": "ndele-l1", "name": "Ndele L1", "level": 1, "location": {"lat": 8.41, "lon": 20.65},
         "capabilities": ["resuscitation"], "beds": 3, "icu_beds": 0, "operating_tables": 0,
         "helipad": True, "night_landing": False, "refuel": False},
    ],
    "assets": [
        {"id": "mi17", "callsign": "UNO 1", "kind": "helicopter", "role": "medevac",
         "base": {"lat": 6.54, "lon": 21.99}, "cruise_kmh": 220, "range_km": 550, "litters": 4, "seats": 6,
         "night_capable": False, "hoist": False, "armed": True, "notice_to_move_min": {"day": 30, "night": 0}},
        {"id": "amb", "callsign": "AMB", "kind": "ground", "role": "medevac",
         "base": {"lat": 6.54, "lon": 21.99}, "cruise_kmh": 35, "range_km": 300, "litters": 2, "seats": 2,
         "night_capable": True, "hoist": False, "armed": False, "notice_to_move_min": {"day": 10, "night": 15}},
    ],
    "arrivals": {
        "rate_per_hour": 0.6, "precedence_mix": {"A": 0.3, "B": 0.3, "C": 0.2, "D": 0.2},
        "hotspots": [{"name": "Bria", "lat": 6.6, "lon": 22.1, "radius_km": 30, "weight": 2},
                     {"name": "Ndele", "lat": 8.3, "lon": 20.7, "radius_km": 30, "weight": 1}],
        "mass_casualty": {"probability_per_hour": 0.2, "size_min": 3, "size_max": 6},
    },
    "scripted_events": [{"at": "2024-03-10T07:00:00Z", "location": {"lat": 6.9, "lon": 21.8},
                         "casualties": {"A": 1, "B": 2, "dead": 1}}],
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario.model_validate(THEATRE)


def test_arrivals_are_deterministic_per_seed(scenario):
    first, again, other = (scenario_casualties(scenario, s) for s in (3, 3, 4))
    assert first == again and first != other
    assert sum(c.id.startswith("ev1-") for c in first) == 3  # the dead need no evacuation
    assert all(scenario.start <= c.injured_at <= c.reported_at for c in first)


@pytest.mark.parametrize("policy", ["closest", "optimized", "hindsight"])
def test_trace_alone_reproduces_the_metrics(scenario, policy):
    result, records = simulate(scenario, policy, seed=3, time_limit_s=0.5)
    found = scenario_casualties(scenario, 3)
    recomputed = metrics_from_trace(records, found, {f.id: f for f in scenario.facilities})
    assert recomputed.model_dump() == {k: v for k, v in result.model_dump().items() if k in recomputed.model_dump()}
    assert any(r["type"] == "handover" for r in records) and any(r["type"] == "dispatch" for r in records)
    # The bound counts the same patients (an airborne crew can beat it: it has no notice to move).
    assert result.golden_hour.of == result.contention_free_bound.golden_hour.of


def test_assets_move_continuously_and_carry_only_called_casualties(scenario):
    _, records = simulate(scenario, "optimized", seed=5, time_limit_s=0.5)
    reported = {c.id: c.reported_at for c in scenario_casualties(scenario, 5)}
    by_asset: dict[str, list[dict]] = {}
    for r in records:
        if r["type"] == "leg":
            by_asset.setdefault(r["asset"], []).append(r)
            for cid in r["onboard"]:
                assert r["depart"] >= reported[cid].strftime("%Y-%m-%dT%H:%M:%SZ")
    for legs in by_asset.values():
        legs.sort(key=lambda r: r["depart"])
        for before, after in zip(legs, legs[1:]):
            assert before["to"] == after["from"] and before["arrive"] <= after["depart"]


def test_simulate_command_prints_the_result_and_writes_the_trace(scenario, tmp_path, capsys):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(THEATRE))
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["simulate", str(path), "--policy", "closest", "--seed", "2", "--json",
                              "--trace", str(tmp_path / "t.jsonl")])
    assert args.func(args) == 0
    document = json.loads(capsys.readouterr().out)
    assert {"scenario", "policy", "seed", "precedence", "golden_hour", "surgery_2h", "solver",
            "contention_free_bound"} <= set(document)
    assert (tmp_path / "t.jsonl").read_text().count('"type":"leg"') > 0
    args = parser.parse_args(["schema", "scenario"])
    assert args.func(args) == 0
    assert "casualties" in json.loads(capsys.readouterr().out)["properties"]
