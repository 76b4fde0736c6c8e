"""Riding along: a follow-up call from a landing zone an aircraft is already tasked to."""

import json
from datetime import timedelta

import pytest

from medevac.dispatch.engine import get_policy
from medevac.dispatch.engine.model import Landing, Underway
from medevac.dispatch.simulator import simulate, trace
from medevac.dispatch.tracecheck import check
from tests.dispatch.test_engine_escort import CARRIER, GUNSHIP, ambush, scenario, snapshot

ZONE = (6.8, 22.1)


def call(i, precedence="A", security="N", at="07:00", where=ZONE, **extra):
    return {"id": f"late{i}", "injured_at": "2024-03-10T06:50:00Z", "reported_at": f"2024-03-10T{at}:00Z",
            "location": {"lat": where[0], "lon": where[1]}, "precedence": precedence, "patient_type": "litter",
            "security": security, "incident": "ambush", **extra}


def underway(snap, *, covered=False, onboard=2, facility="bria-l2"):
    """The carrier tasked at 07:00, landing at the zone at 07:40."""
    now = snap.now.replace(hour=7, minute=0)
    landing = Landing(location={"lat": ZONE[0], "lon": ZONE[1]}, at=now + timedelta(minutes=40), covered=covered)
    return snap.model_copy(update={"now": now, "underway": [Underway(
        asset_id="mi8", landings=[landing], facility_id=facility, handover_at=now + timedelta(minutes=90),
        onboard_litter=onboard, onboard_ambulatory=0)]})


def test_a_follow_up_call_rides_along_with_the_aircraft_on_its_way():
    snap = underway(snapshot(scenario([call(0), call(1, "C")], [CARRIER])))
    plan = get_policy("optimized").plan(snap, time_limit_s=0.5)
    (join,) = plan.joins
    assert join.asset_id == "mi8" and sorted(join.patient_ids) == ["late0", "late1"]
    assert join.handover_at == snap.underway[0].handover_at and plan.sorties == []


@pytest.mark.parametrize("why, snap_change, casualty", [
    ("call after it landed", {}, call(0, at="07:50")),
    ("no room aboard", {"onboard": 8}, call(0)),
    ("X zone without its escort", {"covered": False}, call(0, security="X")),
    ("over 0.5 km away", {}, call(0, where=(6.81, 22.1))),
])
def test_nobody_rides_along_against_the_rules(why, snap_change, casualty):
    snap = underway(snapshot(scenario([casualty], [CARRIER, GUNSHIP])), **snap_change)
    plan = get_policy("closest").plan(snap)
    assert plan.joins == [], why


def test_an_x_casualty_rides_along_where_the_escort_covers_the_zone():
    snap = underway(snapshot(scenario([call(0, security="X")], [CARRIER, GUNSHIP])), covered=True)
    assert [j.patient_ids for j in get_policy("closest").plan(snap).joins] == [["late0"]]


def test_a_facility_that_cannot_treat_them_keeps_them_off():
    snap = snapshot(scenario([call(0, "B")], [CARRIER]))
    level_one = next(f.id for f in snap.facilities if "surgery" not in f.capabilities
                     and "damage_control_surgery" not in f.capabilities)
    assert get_policy("closest").plan(underway(snap, facility=level_one)).joins == []


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_simulated_follow_up_call_boards_the_same_sortie_and_passes_the_checker(policy, tmp_path):
    # The first call is tasked at once; the second comes in while the crew is still on notice to move.
    first = ambush(n=2)
    second = [{**c, "id": f"then{i}", "reported_at": "2024-03-10T07:10:00Z"} for i, c in enumerate(ambush(n=2))]
    sc = scenario(first + second, [CARRIER, GUNSHIP])
    result, records = simulate(sc, policy, time_limit_s=1.0)
    dispatches = [r for r in records if r["type"] == "dispatch" and r["asset"] == "mi8"]
    assert len(dispatches) == 1 and sorted(dispatches[0]["casualties"]) == ["ambush0", "ambush1"]
    handovers = {r["casualty"]: r["at"] for r in records if r["type"] == "handover"}
    assert set(handovers) == {"ambush0", "ambush1", "then0", "then1"} and len(set(handovers.values())) == 1
    assert result.unserved_reachable == 0
    (tmp_path / "scenario.json").write_text(json.dumps(sc.model_dump(mode="json")))
    trace.write(str(tmp_path / "trace.jsonl"), records)
    assert check(tmp_path / "scenario.json", tmp_path / "trace.jsonl").violations == []
