from medevac.basing.coverage import reach_table, score
from medevac.basing.demand import scenario_demand
from medevac.basing.problem import BasingRequest, ForwardTeam, Laydown, apply, build_problem

from tests.basing.instances import casualty, facility, helicopter, scenario

HOSPITAL = {"lat": 6.0, "lon": 20.0}
OUTPOST = {"lat": 9.0, "lon": 23.0}  # ~470 km from the hospital: no golden hour from there


def outpost_scenario():
    return scenario(
        [facility("hospital", HOSPITAL, tables=1), facility("outpost", OUTPOST, resus=False)],
        [helicopter("h1", OUTPOST), helicopter("h2", HOSPITAL)],
        [casualty("near-outpost", {"lat": 9.05, "lon": 23.05}, "B", 10),
         casualty("near-hospital", {"lat": 6.05, "lon": 20.05}, "B", 10),
         casualty("hospital-side", {"lat": 6.6, "lon": 20.4}, "A", 10)],
    )


def coverage_by_point(problem, table, teams):
    laydown = Laydown(bases=problem.current.bases, teams=teams)
    return {(c.point, c.period): c for c in score(problem, table, laydown).points}


def test_a_forward_team_changes_coverage_where_it_sits_and_nowhere_else():
    sc = outpost_scenario()
    request = BasingRequest(teams=[ForwardTeam(id="fst", kind="fst")])
    problem = build_problem(sc, scenario_demand(sc, radius_km=10), request)
    table = reach_table(problem)
    without = coverage_by_point(problem, table, {})
    with_team = coverage_by_point(problem, table, {"fst": "outpost"})
    near = next(p.id for p in problem.demand if p.location.lat > 8.9)
    changed = {key for key in without if without[key] != with_team[key]}
    assert changed == {(near, "day"), (near, "night")}
    assert without[near, "day"].golden_hour_assets == 0 and not without[near, "day"].surgery_2h
    assert with_team[near, "day"].golden_hour_assets == 1 and with_team[near, "day"].surgery_2h


def test_placing_a_team_changes_only_its_facility_in_the_simulated_scenario():
    sc = outpost_scenario()
    request = BasingRequest(teams=[ForwardTeam(id="amet", kind="amet")])
    problem = build_problem(sc, scenario_demand(sc), request)
    placed = apply(sc, problem, Laydown(bases=problem.current.bases, teams={"amet": "outpost"}))
    before = {f.id: f for f in sc.facilities}
    after = {f.id: f for f in placed.facilities}
    assert after["hospital"] == before["hospital"]
    assert "resuscitation" in after["outpost"].capabilities
    assert "resuscitation" not in before["outpost"].capabilities
