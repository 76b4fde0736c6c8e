"""Recommendations say what the simulation result says of a patient no aircraft can reach: the
reason and the nearest way that would work, naming the place."""

import pytest

from medevac.dispatch.engine import get_policy
from medevac.dispatch.simulator import simulate
from tests.dispatch.test_engine_escort import CARRIER, GUNSHIP, ambush, scenario, snapshot
from tests.dispatch.test_engine_refuel import remote_scenario


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_beyond_range_the_recommendation_says_what_the_result_says(policy):
    sc = remote_scenario(with_fuel=False)
    (rec,) = get_policy(policy).plan(snapshot(sc), time_limit_s=0.5).recommendations
    result, _ = simulate(sc, "closest")
    (said,) = result.unreachable
    (found,) = rec.unreachable
    assert (found.patient_id, found.precedence) == ("r1", "B")
    assert (found.reason, found.nearest_way) == (said.reason, said.nearest_way)
    assert "beyond every helicopter's range" in found.reason and "from Bria L2" in found.nearest_way
    assert rec.asset_id is None and rec.unservable_in_time.startswith("no aircraft can reach it: beyond")
    assert "the nearest way that would work: a forward refuelling point" in rec.unservable_in_time


def test_reachable_through_a_refuelling_stop_is_not_unreachable():
    (rec,) = get_policy("closest").plan(snapshot(remote_scenario(with_fuel=True))).recommendations
    assert rec.asset_id is not None and rec.unreachable == []


def test_an_x_pickup_no_escort_reaches_says_so():
    short_gunship = {**GUNSHIP, "range_km": 40}  # cannot fly there and back from anywhere
    sc = scenario(ambush(n=2), (CARRIER, short_gunship))
    (rec,) = get_policy("closest").plan(snapshot(sc)).recommendations
    result, _ = simulate(sc, "closest")
    assert len(rec.unreachable) == 2 == result.unserved_unreachable
    assert {u.reason for u in rec.unreachable} == {u.reason for u in result.unreachable}
    assert "line 6 X" in rec.unreachable[0].reason and "escort" in rec.unreachable[0].nearest_way
    assert "line 6 X" in rec.unservable_in_time


def test_a_busy_fleet_is_not_called_unreachable():
    sc = scenario(ambush(n=1), (CARRIER, GUNSHIP))
    snap = snapshot(sc)
    busy = [a.model_copy(update={"status": "maintenance"}) for a in snap.assets]
    (rec,) = get_policy("closest").plan(snap.model_copy(update={"assets": busy})).recommendations
    assert rec.asset_id is None and rec.unreachable == []
    assert "maintenance" in rec.unservable_in_time


def test_fixed_wing_only_names_the_airfield_a_ground_move_must_reach():
    plane = {**CARRIER, "id": "c130", "callsign": "HERC 1", "kind": "fixed_wing", "cruise_kmh": 500,
             "range_km": 3000}
    sc = scenario([
        {"id": "f1", "injured_at": "2024-03-10T07:00:00Z", "reported_at": "2024-03-10T07:00:00Z",
         "location": {"lat": 6.8, "lon": 22.1}, "precedence": "B", "patient_type": "litter"}], (plane,))
    (rec,) = get_policy("closest").plan(snapshot(sc)).recommendations
    (found,) = rec.unreachable
    assert found.reason == "only fixed wing reaches the care it needs, and there is no airfield at the pickup"
    assert found.nearest_way.startswith("move it to the airfield at Bria L2")
    assert found.nearest_way == simulate(sc, "closest")[0].unreachable[0].nearest_way


def test_an_aircraft_held_out_of_recommendations_still_counts_for_reachability():
    """The only carrier was tasked anyway elsewhere: nobody is offered it, but the patient beside its
    base is not 'unreachable' (it will be free again)."""
    sc = scenario([{**c, "security": "N"} for c in ambush(n=1, where=(6.6, 22.0))], (CARRIER,))
    snap = snapshot(sc)
    (carrier,) = snap.assets
    # Beside it, only an aircraft that reaches nowhere, in maintenance.
    stub = carrier.model_copy(update={"id": "stub", "callsign": "STUB", "range_km": 5, "status": "maintenance"})
    held = snap.model_copy(update={"assets": [stub], "held_out": [carrier]})
    (rec,) = get_policy("closest").plan(held).recommendations
    assert rec.asset_id is None and rec.unreachable == []
    (rec,) = get_policy("closest").plan(held.model_copy(update={"held_out": []})).recommendations
    assert [u.patient_id for u in rec.unreachable] == ["ambush0"]
