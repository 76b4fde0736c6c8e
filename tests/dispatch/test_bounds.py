"""The contention-free bound is a bound: no policy hands any patient over earlier, at any facility."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medevac.dispatch.engine.bounds import best_handovers
from medevac.dispatch.scenario import Scenario
from medevac.dispatch.simulator import scenario_casualties
from medevac.dispatch.simulator.run import simulate_run

START = datetime(2024, 3, 10, tzinfo=UTC)
FACILITIES = [
    {"id": "l2", "name": "L2", "level": 2, "location": {"lat": 6.54, "lon": 21.99},
     "capabilities": ["resuscitation", "damage_control_surgery", "surgery", "blood"], "beds": 8,
     "icu_beds": 2, "operating_tables": 1, "helipad": True, "night_landing": True, "refuel": True},
    {"id": "fwd", "name": "Forward L1", "level": 1, "location": {"lat": 7.6, "lon": 21.3},
     "capabilities": ["resuscitation"], "beds": 3, "icu_beds": 0, "operating_tables": 0,
     "helipad": True, "night_landing": False, "refuel": True},
    {"id": "post", "name": "Post", "level": 1, "location": {"lat": 8.41, "lon": 20.65},
     "capabilities": ["resuscitation"], "beds": 3, "icu_beds": 0, "operating_tables": 0,
     "helipad": True, "night_landing": False, "refuel": False},
]


def _asset(id_: str, kind: str, night: bool, ntm: tuple[int, int], range_km: int) -> dict:
    return {"id": id_, "callsign": id_.upper(), "kind": kind, "role": "medevac",
            "base": {"lat": 6.54, "lon": 21.99}, "cruise_kmh": 35 if kind == "ground" else 220,
            "range_km": range_km, "litters": 4, "seats": 4, "night_capable": night, "hoist": False,
            "armed": True, "notice_to_move_min": {"day": ntm[0], "night": ntm[1]}}


@st.composite
def theatres(draw) -> tuple[Scenario, int]:
    """A small theatre at any hour: day-only and night-capable helicopters (night notice longer
    or shorter), tight or loose range, an ambulance; calls from two hotspots and a mass casualty."""
    assets = [_asset("heli", "helicopter", draw(st.booleans()),
                     draw(st.sampled_from([(15, 45), (30, 10)])), draw(st.sampled_from([420, 900]))),
              _asset("nvg", "helicopter", True, draw(st.sampled_from([(20, 60), (20, 20)])), 500),
              _asset("amb", "ground", True, (10, 15), 300)]
    scenario = Scenario.model_validate({
        "name": "bound", "start": (START + timedelta(hours=draw(st.integers(0, 23)))).isoformat(),
        "duration_hours": 10, "facilities": FACILITIES, "assets": assets[: draw(st.integers(1, 3))],
        "arrivals": {
            "rate_per_hour": 0.8, "precedence_mix": {"A": 0.3, "B": 0.3, "C": 0.2, "D": 0.2},
            "hotspots": [{"name": "near", "lat": 6.7, "lon": 22.2, "radius_km": 30, "weight": 2},
                         {"name": "far", "lat": 8.5, "lon": 20.9, "radius_km": 40, "weight": 1}],
            "mass_casualty": {"probability_per_hour": 0.1, "size_min": 3, "size_max": 5},
        },
    })
    return scenario, draw(st.integers(0, 10_000))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theatres(), st.sampled_from(["closest", "optimized"]))
def test_no_policy_hands_a_patient_over_before_the_bound(theatre, policy):
    scenario, seed = theatre
    casualties = scenario_casualties(scenario, seed)
    bound = best_handovers(casualties, scenario.assets, scenario.facilities, scenario.road_factor,
                           scenario.load_min, scenario.unload_min)
    run = simulate_run(scenario, policy, casualties, time_limit_s=0.3)
    for casualty_id, handovers in run.handovers.items():
        earliest = dict(bound[casualty_id])
        for facility_id, at in handovers:
            assert facility_id in earliest and earliest[facility_id] <= at, (casualty_id, facility_id, at, earliest)


def test_a_patient_beyond_the_round_trip_from_base_is_reached_through_a_refuelling_facility():
    """From the base the helicopter cannot reach the pickup and come back (the old bound left the
    patient unserved); through the forward refuelling facility it can, later when it has to fly
    there first than when a crew may already be there."""
    scenario = Scenario.model_validate({
        "name": "far", "start": "2024-03-10T07:00:00Z", "duration_hours": 6, "facilities": FACILITIES,
        "assets": [_asset("heli", "helicopter", True, (20, 30), 330)],
        "casualties": [{"id": "far", "injured_at": "2024-03-10T08:00:00Z", "reported_at": "2024-03-10T08:05:00Z",
                        "location": {"lat": 8.3, "lon": 21.0}, "precedence": "C", "patient_type": "litter"}],
    })
    args = (scenario.casualties, scenario.assets, scenario.facilities, scenario.road_factor,
            scenario.load_min, scenario.unload_min)
    forward, at_base = dict(best_handovers(*args)["far"]), dict(best_handovers(*args, prepositioned=False)["far"])
    assert set(forward) == set(at_base) == {"fwd", "l2"}  # both only by way of the forward refuelling
    assert all(forward[f] < at_base[f] for f in forward)
    run = simulate_run(scenario, "optimized", scenario.casualties, time_limit_s=0.5)
    assert all(at >= forward[f] for f, at in run.handovers.get("far", []))
