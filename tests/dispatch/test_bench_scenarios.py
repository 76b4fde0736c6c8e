"""The benchmark scenarios are reproducible and hold the situations they are named for."""

import subprocess
import sys
from itertools import combinations
from pathlib import Path

from medevac.dispatch.engine.bounds import best_handovers
from medevac.dispatch.scenario import load_scenario, shipped_scenarios
from medevac.geo import distance_km, is_night

GENERATOR = Path(__file__).resolve().parents[2] / "scenarios" / "bench_scenarios.py"


def load(name):
    return load_scenario(str(shipped_scenarios() / f"bench-{name}.json"))


def test_files_match_their_generator():
    result = subprocess.run([sys.executable, str(GENERATOR), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_scattered_incidents_lie_at_points_a_few_hundred_metres_to_two_km_apart():
    incidents: dict[str, set] = {}
    for c in load("scattered").casualties:
        if c.incident:
            incidents.setdefault(c.incident, set()).add((c.location.lat, c.location.lon))
    assert len(incidents) == 4 and all(len(points) >= 3 for points in incidents.values())
    for points in incidents.values():
        gaps = [distance_km(*a, *b) for a, b in combinations(points, 2)]
        assert 0.1 <= min(gaps) and max(gaps) <= 2.1


def test_escort_scenario_has_x_incidents_unarmed_transports_and_escort_only_gunships():
    sc = load("escort")
    assert sum(c.security == "X" for c in sc.casualties) >= 20
    helicopters = [a for a in sc.assets if a.kind == "helicopter"]
    assert all(a.litters == 0 for a in helicopters if a.armed)
    assert all(not a.armed for a in helicopters if a.litters > 0)


def test_remote_pickups_need_a_refuelling_stop():
    sc = load("remote")
    helicopters = [a for a in sc.assets if a.kind == "helicopter"]
    best = best_handovers(sc.casualties, sc.assets, sc.facilities, sc.road_factor, sc.load_min, sc.unload_min,
                          prepositioned=False)
    for c in sc.casualties:
        out_and_back = min(2 * distance_km(a.base.lat, a.base.lon, c.location.lat, c.location.lon) for a in helicopters)
        assert out_and_back > max(a.range_km for a in helicopters)
    assert sum(bool(best[c.id]) for c in sc.casualties) >= len(sc.casualties) - 2


def test_night_mass_casualty_happens_in_the_dark():
    sc = load("night-masscal")
    assert len(sc.casualties) >= 50
    assert all(is_night(c.location.lat, c.location.lon, c.injured_at) for c in sc.casualties)
