"""The shipped scenarios follow DESIGN.md §4 exactly and are reproducible from their generator."""

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from medevac.dispatch.scenario import load_scenario, shipped_scenarios

SCENARIOS = shipped_scenarios()
GENERATOR = Path(__file__).resolve().parents[2] / "scenarios" / "make_scenarios.py"
SHIPPED = ["minusca.json", "minusma.json", "masscal.json"]

TOP_KEYS = {"name", "start", "duration_hours", "facilities", "assets", "road_factor", "load_min",
            "unload_min", "casualties"}
FACILITY_KEYS = {"id", "name", "level", "location", "capabilities", "beds", "icu_beds",
                 "operating_tables", "helipad", "night_landing", "refuel"}
ASSET_KEYS = {"id", "callsign", "kind", "role", "base", "cruise_kmh", "range_km", "litters", "seats",
              "night_capable", "hoist", "armed", "notice_to_move_min"}
CASUALTY_KEYS = {"id", "injured_at", "reported_at", "location", "precedence", "patient_type",
                 "needs", "security", "special_equipment"}


def load(filename):
    return json.loads((SCENARIOS / filename).read_text())


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_files_match_their_generator():
    result = subprocess.run([sys.executable, str(GENERATOR), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("filename", SHIPPED)
def test_keys_are_exactly_the_contract(filename):
    scenario = load(filename)
    assert set(scenario) == TOP_KEYS
    assert all(set(f) == FACILITY_KEYS and set(f["location"]) == {"lat", "lon"}
               for f in scenario["facilities"])
    assert all(set(a) == ASSET_KEYS and set(a["notice_to_move_min"]) == {"day", "night"}
               for a in scenario["assets"])
    assert all(set(c) == CASUALTY_KEYS for c in scenario["casualties"])


@pytest.mark.parametrize("filename", SHIPPED)
def test_values_are_in_their_domains(filename):
    scenario = load(filename)
    start = moment(scenario["start"])
    end = start + timedelta(hours=scenario["duration_hours"])
    for group in ("facilities", "assets", "casualties"):
        ids = [item["id"] for item in scenario[group]]
        assert len(ids) == len(set(ids)), group
    assert {a["kind"] for a in scenario["assets"]} <= {"helicopter", "fixed_wing", "ground"}
    assert {a["role"] for a in scenario["assets"]} <= {"medevac", "casevac"}
    for casualty in scenario["casualties"]:
        assert start <= moment(casualty["injured_at"]) <= moment(casualty["reported_at"]) < end
        assert casualty["precedence"] in "ABCDE" and casualty["security"] in "NPEX"
        assert casualty["special_equipment"] in "ACD"  # no asset has a hoist
        assert casualty["patient_type"] in {"litter", "ambulatory"}
        if casualty["precedence"] == "B":
            assert "surgery" in casualty["needs"]


@pytest.mark.parametrize("filename", SHIPPED)
def test_every_need_exists_at_some_facility(filename):
    scenario = load(filename)
    offered = {cap for f in scenario["facilities"] for cap in f["capabilities"]}
    assert {need for c in scenario["casualties"] for need in c["needs"]} <= offered


def test_masscal_is_a_surge_at_several_sites():
    casualties = load("masscal.json")["casualties"]
    injured = sorted(moment(c["injured_at"]) for c in casualties)
    densest_hour = max(sum(1 for t in injured if first <= t < first + timedelta(hours=1))
                       for first in injured)
    sites = {(c["location"]["lat"], c["location"]["lon"]) for c in casualties}
    assert densest_hour >= 30 and len(sites) >= 4


@pytest.mark.parametrize("filename", SHIPPED)
def test_validates_against_the_scenario_model(filename):
    scenario = load_scenario(str(SCENARIOS / filename))
    assert scenario.casualties and scenario.arrivals is None
