"""The trace checker accepts a physical trace and catches each kind of broken rule."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from medevac.dispatch.tracecheck import check, main

NOON = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)  # sun overhead at (0°, 0°)
MIDNIGHT = datetime(2025, 6, 1, 0, 0, tzinfo=UTC)
BASE = {"lat": 0.0, "lon": 0.0}  # the Level II and the helicopter base
PICKUP = {"lat": 0.45, "lon": 0.0}  # 49.8 km north: 15 min at 200 km/h
LEVEL_ONE = {"lat": 0.0, "lon": 0.45}  # resuscitation only


def facility(fid, location, capabilities, tables, refuel):
    return {"id": fid, "name": fid, "level": 2 if tables else 1, "location": location,
            "capabilities": capabilities, "beds": 10, "icu_beds": 0, "operating_tables": tables,
            "helipad": True, "night_landing": False, "refuel": refuel}


def asset(aid, kind="helicopter", **overrides):
    return {"id": aid, "callsign": aid.upper(), "kind": kind, "role": "medevac", "base": BASE,
            "cruise_kmh": 200, "range_km": 300, "litters": 2, "seats": 1,
            "night_capable": False, "hoist": False, "armed": False,
            "notice_to_move_min": {"day": 10, "night": 0}, **overrides}


def casualty(cid, precedence, patient_type, start, needs=(), location=PICKUP):
    return {"id": cid, "injured_at": stamp(start, 0), "reported_at": stamp(start, 5),
            "location": location, "precedence": precedence, "patient_type": patient_type,
            "needs": list(needs), "security": "N", "special_equipment": "A"}


def stamp(start, minutes):
    return (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_scenario(tmp_path, start=NOON, assets=None, extra_casualties=()):
    scenario = {
        "name": "tiny", "start": stamp(start, -60), "duration_hours": 6,
        "facilities": [
            facility("l2", BASE, ["resuscitation", "damage_control_surgery", "surgery"], 1, True),
            facility("l1", LEVEL_ONE, ["resuscitation"], 0, False),
        ],
        "assets": assets or [asset("heli"), asset("heli2"), asset("amb", kind="ground",
                                                                  cruise_kmh=60)],
        "road_factor": 1.5, "load_min": 5, "unload_min": 5,
        "casualties": [
            casualty("a1", "A", "litter", start),
            casualty("b1", "B", "litter", start, needs=["surgery"]),
            casualty("c1", "C", "ambulatory", start),
            casualty("d1", "D", "ambulatory", start, location=LEVEL_ONE),
            *extra_casualties,
        ],
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    return path


def leg(asset_id, origin, destination, depart, arrive, onboard=(), start=NOON):
    return {"type": "leg", "asset": asset_id, "from": origin, "to": destination,
            "depart": stamp(start, depart), "arrive": stamp(start, arrive), "onboard": list(onboard)}


def handover(casualty_id, minutes, facility_id="l2", start=NOON):
    return {"type": "handover", "casualty": casualty_id, "facility": facility_id,
            "at": stamp(start, minutes)}


def valid_sortie(start=NOON, asset_id="heli"):
    """Base -> pickup -> Level II with A, B and C aboard; d1 is never served."""
    patients = ["a1", "b1", "c1"]
    return [
        {"type": "dispatch", "asset": asset_id, "casualties": patients, "at": stamp(start, 6)},
        leg(asset_id, BASE, PICKUP, 10, 28, start=start),
        leg(asset_id, PICKUP, BASE, 35, 53, patients, start=start),
        *(handover(c, 55, start=start) for c in patients),
    ]


def run_check(tmp_path, records, **scenario):
    trace = tmp_path / "trace.jsonl"
    trace.write_text("".join(json.dumps(r) + "\n" for r in records))
    return check(write_scenario(tmp_path, **scenario), trace)


def kinds(report):
    return sorted({v.kind for v in report.violations})


def test_valid_trace_has_no_violation_and_its_metrics(tmp_path):
    report = run_check(tmp_path, valid_sortie())
    assert report.violations == []
    assert (report.legs, report.handovers, report.dispatches) == (2, 3, 1)
    metrics = report.metrics
    assert metrics.golden_hour.model_dump() == {"count": 2, "of": 2, "share": 1.0}
    assert metrics.surgery_2h.model_dump() == {"count": 1, "of": 1, "share": 1.0}
    a = metrics.precedence["A"]
    assert (a.count, a.within_standard, a.unserved, a.time_to_care_min.p50) == (1, 1, 0, 55.0)
    d = metrics.precedence["D"]
    assert (d.count, d.within_standard, d.unserved, d.time_to_care_min.mean) == (1, 0, 1, None)
    assert metrics.precedence["E"].share_within_standard is None


def test_late_care_counts_against_the_standard(tmp_path):
    late = [leg("heli", BASE, PICKUP, 10, 28), leg("heli", PICKUP, BASE, 70, 88, ["a1", "b1"]),
            handover("a1", 90), handover("b1", 130)]
    metrics = run_check(tmp_path, late).metrics
    assert metrics.golden_hour.count == 0 and metrics.golden_hour.of == 2
    assert metrics.precedence["B"].within_standard == 0
    assert metrics.precedence["B"].time_to_care_min.p90 == 130.0


@pytest.mark.parametrize("broken, kind", [
    (lambda t: t.__setitem__(1, leg("heli", BASE, PICKUP, 10, 15)), "speed"),
    (lambda t: t.__setitem__(1, leg("heli", BASE, PICKUP, 30, 10)), "speed"),
    (lambda t: t.__setitem__(1, leg("heli", LEVEL_ONE, PICKUP, 8, 30)), "continuity"),
    (lambda t: t.__setitem__(2, leg("heli", PICKUP, BASE, 20, 53, ["a1", "b1", "c1"])),
     "continuity"),
    (lambda t: t.__setitem__(2, leg("heli", PICKUP, BASE, 35, 53, ["a1", "b1", "c1", "x9"])),
     "unknown_casualty"),
    (lambda t: t.append(leg("ghost", BASE, PICKUP, 10, 28)), "unknown_asset"),
    (lambda t: t.append(handover("d1", 60)), "handover"),
    (lambda t: t.__setitem__(3, handover("a1", 45)), "handover"),
    (lambda t: t.__setitem__(3, handover("a1", 55, "l1")), "handover"),
    (lambda t: t.append(leg("heli", BASE, PICKUP, 60, 80, ["a1"])), "handover"),
])
def test_each_broken_rule_is_caught(tmp_path, broken, kind):
    trace = valid_sortie()
    broken(trace)
    assert kinds(run_check(tmp_path, trace)) == [kind]


def test_pickup_must_start_where_the_casualty_is(tmp_path):
    trace = [leg("heli", BASE, LEVEL_ONE, 10, 28), leg("heli", LEVEL_ONE, BASE, 35, 53, ["a1"]),
             handover("a1", 55)]
    assert kinds(run_check(tmp_path, trace)) == ["pickup"]


def test_nobody_is_carried_before_the_request_is_reported(tmp_path):
    trace = [leg("heli", BASE, PICKUP, -25, -5), leg("heli", PICKUP, BASE, 2, 20, ["a1"]),
             handover("a1", 22)]
    report = run_check(tmp_path, trace)
    assert [(v.kind, v.message) for v in report.violations] == [
        ("pickup", "carried before the request was reported")]


def test_capacity_counts_litters_and_seats(tmp_path):
    second_litter = casualty("a2", "A", "litter", NOON)
    trace = valid_sortie()
    trace[2] = leg("heli", PICKUP, BASE, 35, 53, ["a1", "b1", "c1", "a2"])
    report = run_check(tmp_path, trace, extra_casualties=[second_litter])
    assert kinds(report) == ["capacity"]


def test_ambulatory_patient_may_take_a_free_litter(tmp_path):
    trace = valid_sortie()
    trace[2] = leg("heli", PICKUP, BASE, 35, 53, ["a1", "c1"])
    trace[3:] = [handover("a1", 55), handover("c1", 55)]
    report = run_check(tmp_path, trace, assets=[asset("heli", seats=0)])
    assert report.violations == []


def test_range_resets_only_where_fuel_is(tmp_path):
    short = [asset("heli", range_km=80)]
    assert kinds(run_check(tmp_path, valid_sortie(), assets=short)) == ["range"]
    long_enough = [asset("heli", range_km=101)]
    assert run_check(tmp_path, valid_sortie(), assets=long_enough).violations == []


def test_day_only_asset_never_flies_in_darkness(tmp_path):
    report = run_check(tmp_path, valid_sortie(MIDNIGHT), start=MIDNIGHT)
    assert "night" in kinds(report)


def test_night_capable_asset_still_needs_a_night_landing_site(tmp_path):
    nvg = [asset("heli", night_capable=True)]
    report = run_check(tmp_path, valid_sortie(MIDNIGHT), start=MIDNIGHT, assets=nvg)
    assert kinds(report) == ["night_landing"]


def test_a_pickup_at_a_facility_helipad_by_night_is_a_landing_zone_not_a_facility_landing(tmp_path):
    """Casualties of an attack on a camp lie at its Level I: a night-capable aircraft collecting
    them with others aboard lands there as at any landing zone; handing over there would not."""
    nvg = [asset("heli", night_capable=True)]
    collect = [leg("heli", BASE, PICKUP, 10, 28, start=MIDNIGHT),
               leg("heli", PICKUP, LEVEL_ONE, 33, 55, ["a1"], start=MIDNIGHT),
               leg("heli", LEVEL_ONE, BASE, 60, 76, ["a1", "d1"], start=MIDNIGHT)]
    report = run_check(tmp_path, collect, start=MIDNIGHT, assets=nvg)
    assert [v.message.split(";")[0] for v in report.violations if v.kind == "night_landing"] == [
        "lands patients at l2 in darkness"]  # the Level II at the end, not the pickup at l1
    deliver = collect[:2] + [handover("a1", 57, "l1", start=MIDNIGHT)]
    report = run_check(tmp_path, deliver, start=MIDNIGHT, assets=nvg)
    assert [v.message.split(";")[0] for v in report.violations if v.kind == "night_landing"] == [
        "lands patients at l1 in darkness"]


def test_receiving_facility_must_offer_what_the_precedence_needs(tmp_path):
    trace = [leg("heli", BASE, PICKUP, 10, 28), leg("heli", PICKUP, LEVEL_ONE, 35, 60, ["a1", "b1"]),
             handover("a1", 62, "l1"), handover("b1", 62, "l1")]
    report = run_check(tmp_path, trace)
    assert [(v.kind, v.subject) for v in report.violations] == [("capability", "b1")]
    assert report.metrics.surgery_2h.count == 0


def test_ground_legs_travel_the_road_not_the_great_circle(tmp_path):
    # 49.8 km great circle is 74.7 km by road at factor 1.5: 75 min at 60 km/h, not 50.
    trace = [leg("amb", BASE, PICKUP, 10, 70)]
    assert kinds(run_check(tmp_path, trace)) == ["speed"]
    assert run_check(tmp_path, [leg("amb", BASE, PICKUP, 10, 86)]).violations == []


def test_casualty_cannot_change_aircraft_in_mid_air(tmp_path):
    trace = [leg("heli", BASE, PICKUP, 10, 28), leg("heli", PICKUP, BASE, 35, 53, ["a1"]),
             leg("heli2", PICKUP, BASE, 40, 60, ["a1"])]
    assert "continuity" in kinds(run_check(tmp_path, trace))


def test_malformed_lines_are_reported_not_raised(tmp_path):
    trace = tmp_path / "trace.jsonl"
    trace.write_text('{"type": "leg", "asset": "heli"}\nnot json\n')
    report = check(write_scenario(tmp_path), trace)
    assert [(v.kind, v.line) for v in report.violations] == [("malformed", 1), ("malformed", 2)]


def test_command_line_exit_status(tmp_path, capsys):
    scenario = write_scenario(tmp_path)
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text("".join(json.dumps(r) + "\n" for r in valid_sortie()))
    bad.write_text(json.dumps(leg("heli", BASE, PICKUP, 10, 11)) + "\n")
    assert main([str(scenario), str(good)]) == 0
    assert main([str(scenario), str(bad), "--json"]) == 1
    assert '"kind": "speed"' in capsys.readouterr().out
    assert main([str(tmp_path / "good.jsonl"), str(good)]) == 2


NEAR_PICKUP = {"lat": 0.4527, "lon": 0.0}  # 0.3 km north of the pickup: the same landing zone
FAR_PICKUP = {"lat": 0.4572, "lon": 0.0}  # 0.8 km: not


def test_casualty_boards_within_half_a_kilometre(tmp_path):
    near = [leg("heli", BASE, NEAR_PICKUP, 10, 28), leg("heli", NEAR_PICKUP, BASE, 35, 53, ["a1"]), handover("a1", 55)]
    assert kinds(run_check(tmp_path, near)) == []
    far = [leg("heli", BASE, FAR_PICKUP, 10, 29), leg("heli", FAR_PICKUP, BASE, 35, 53, ["a1"]), handover("a1", 55)]
    assert kinds(run_check(tmp_path, far)) == ["pickup"]


def test_every_landing_to_load_takes_the_scenario_load_time(tmp_path):
    rushed = [leg("heli", BASE, PICKUP, 10, 28), leg("heli", PICKUP, BASE, 31, 49, ["a1"]), handover("a1", 51)]
    assert kinds(run_check(tmp_path, rushed)) == ["loading"]


def x_casualty(cid):
    return {**casualty(cid, "A", "litter", NOON), "security": "X"}


def test_unarmed_carrier_needs_an_armed_escort_over_an_x_landing_zone(tmp_path):
    fleet = [asset("heli"), asset("gunship", armed=True, litters=0)]
    carried = [leg("heli", BASE, PICKUP, 10, 28), leg("heli", PICKUP, BASE, 35, 53, ["x1"]), handover("x1", 55)]
    alone = run_check(tmp_path, carried, assets=fleet, extra_casualties=[x_casualty("x1")])
    assert kinds(alone) == ["escort"]
    covered = [*carried, {**leg("gunship", BASE, NEAR_PICKUP, 9, 27), "escorting": "heli"},
               {**leg("gunship", NEAR_PICKUP, BASE, 35, 53), "escorting": "heli"}]
    assert kinds(run_check(tmp_path, covered, assets=fleet, extra_casualties=[x_casualty("x1")])) == []
    leaves_early = [*carried, leg("gunship", BASE, PICKUP, 9, 27), leg("gunship", PICKUP, BASE, 30, 48)]
    assert kinds(run_check(tmp_path, leaves_early, assets=fleet, extra_casualties=[x_casualty("x1")])) == ["escort"]


SOUTH = {"lat": -1.0, "lon": 0.0}  # 111 km south of the Level II, 161 km from the pickup


def test_an_escort_may_refuel_on_its_way_out_and_flies_as_an_armed_helicopter(tmp_path):
    fleet = [asset("heli"), asset("gunship", armed=True, litters=0, base=SOUTH, range_km=200)]
    carried = [leg("heli", BASE, PICKUP, 10, 28), leg("heli", PICKUP, BASE, 35, 53, ["x1"]), handover("x1", 55)]
    x = [x_casualty("x1")]

    def escort(*legs):
        return [{**leg("gunship", *args), "escorting": "heli"} for args in legs]
    refuelled = escort((SOUTH, BASE, -40, -6), (BASE, PICKUP, 12, 27), (PICKUP, BASE, 35, 53))
    assert kinds(run_check(tmp_path, [*carried, *refuelled], assets=fleet, extra_casualties=x)) == []
    straight = escort((SOUTH, PICKUP, -22, 27), (PICKUP, BASE, 35, 53))
    assert kinds(run_check(tmp_path, [*carried, *straight], assets=fleet, extra_casualties=x)) == ["range"]
    unarmed = [*carried, {**leg("heli2", BASE, PICKUP, 9, 27), "escorting": "heli"},
               {**leg("heli2", PICKUP, BASE, 35, 53), "escorting": "heli"}]
    report = run_check(tmp_path, unarmed, assets=[*fleet, asset("heli2")], extra_casualties=x)
    assert sorted((v.kind, v.subject) for v in report.violations) == [
        ("escort", "heli"), ("escort", "heli2"), ("escort", "heli2")]


def test_fixed_wing_lands_only_at_airfields(tmp_path):
    fleet = [asset("plane", kind="fixed_wing", cruise_kmh=400)]
    trace = [leg("plane", BASE, LEVEL_ONE, 10, 20), leg("plane", LEVEL_ONE, BASE, 30, 40)]
    assert kinds(run_check(tmp_path, trace, assets=fleet)) == ["airfield"]
