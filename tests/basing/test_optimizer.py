import itertools

import pytest

from medevac.basing.coverage import reach_table, score
from medevac.basing.demand import scenario_demand
from medevac.basing.optimizer import optimise
from medevac.basing.problem import Airstrip, BasingRequest, ForwardTeam, Laydown, ProblemError, build_problem

from tests.basing.instances import casualty, facility, helicopter, random_scenario, scenario


def brute_force(problem, table) -> int:
    """The best objective over every laydown that respects the per-base limits."""
    assets = sorted(problem.allowed)
    teams = sorted(problem.team_sites)
    limits = {b.id: b.max_assets for b in problem.bases}
    best = None
    for bases in itertools.product(*(problem.allowed[k] for k in assets)):
        if any(bases.count(j) > limits[j] for j in set(bases)):
            continue
        for sites in itertools.product(*(problem.team_sites[t] for t in teams)):
            laydown = Laydown(bases=dict(zip(assets, bases)), teams=dict(zip(teams, sites)))
            value = score(problem, table, laydown).objective(problem)
            best = value if best is None else max(best, value)
    return best


def solve(sc, request):
    problem = build_problem(sc, scenario_demand(sc, radius_km=10), request)
    table = reach_table(problem)
    return problem, table, optimise(problem, table, time_limit_s=20)


@pytest.mark.parametrize("seed", range(6))
def test_optimum_equals_brute_force(seed):
    sc = random_scenario(seed)
    request = BasingRequest(max_assets_per_base=1 + seed % 2,
                            teams=[ForwardTeam(id="t1", kind="fst" if seed % 2 else "amet")])
    problem, table, solution = solve(sc, request)
    assert solution.optimal
    assert solution.objective == brute_force(problem, table)
    assert score(problem, table, solution.laydown).objective(problem) == solution.objective


def test_fixed_assets_and_base_limits_are_respected():
    sc = random_scenario(3, n_facilities=5, n_assets=4)
    fixed = sc.assets[0].id
    request = BasingRequest(fixed=[fixed], max_assets_per_base=1, base_limits={"f1": 0})
    problem, table, solution = solve(sc, request)
    assert solution.laydown.bases[fixed] == problem.current.bases[fixed]
    standing = list(solution.laydown.bases.values())
    assert "f1" not in standing
    limits = {b.id: b.max_assets for b in problem.bases}
    assert all(standing.count(j) <= limits[j] for j in standing)


def test_unknown_ids_name_the_field():
    sc = random_scenario(1)
    with pytest.raises(ProblemError) as raised:
        build_problem(sc, scenario_demand(sc), BasingRequest(fixed=["h0", "nope"]))
    assert raised.value.field == "fixed[1]"


def test_a_base_without_night_operations_covers_nothing_by_night():
    hospital = {"lat": 6.0, "lon": 20.0}
    sc = scenario([facility("hospital", hospital, tables=1)], [helicopter("h1", hospital)],
                  [casualty("day", {"lat": 6.15, "lon": 20.15}, "A", 10),
                   casualty("night", {"lat": 6.15, "lon": 20.15}, "A", 22)])
    strip = Airstrip(id="strip", location={"lat": 6.05, "lon": 20.05}, night_operations=True)
    request = BasingRequest(no_night_bases=["hospital"], airstrips=[strip])
    problem, table, solution = solve(sc, request)
    today = {c.period: c.golden_hour_assets for c in score(problem, table, problem.current).points}
    assert today == {"day": 1, "night": 0}
    assert solution.laydown.bases == {"h1": "strip"}  # the one base that flies by night as well
    assert {c.period: c.golden_hour_assets for c in score(problem, table, solution.laydown).points} == {
        "day": 1, "night": 1}
