"""Seeded evidence runs over a mission's history: alone over its own window, or beside a scenario."""

import statistics
from datetime import datetime, timedelta, timezone

from medevac.dispatch.scenario import Casualty
from medevac.basing.evidence import resample
from medevac.basing.history import History
from medevac.basing.plan import plan_basing
from medevac.basing.problem import BasingRequest

from tests.basing.test_api import TINY

SINCE = datetime(2024, 5, 1, tzinfo=timezone.utc)
PLACE = {"lat": 7.5, "lon": 21.0}


def casualty(request: str, n: int, at: datetime, precedence: str = "A", place: dict = PLACE) -> Casualty:
    return Casualty(id=f"{request}-{n}", incident=request, injured_at=at, reported_at=at + timedelta(minutes=15),
                    location=place, precedence=precedence, patient_type="litter")


def ten_days() -> History:
    """Two urgent requests a day for ten days, one at noon and one at 23:00 UTC."""
    casualties = []
    for day in range(10):
        casualties.append(casualty(f"r{day}n", 0, SINCE + timedelta(days=day, hours=12)))
        casualties.append(casualty(f"r{day}x", 0, SINCE + timedelta(days=day, hours=23)))
    return History(since=SINCE, until=SINCE + timedelta(days=10), casualties=casualties)


def test_history_runs_redraw_whole_requests_at_their_time_of_day_inside_the_window():
    burst = [casualty("mascal", n, SINCE + timedelta(days=2, hours=15), "AB"[n % 2], {"lat": 6.5, "lon": 20.5})
             for n in range(4)]
    history = ten_days().model_copy(update={"casualties": ten_days().casualties + burst})
    originals = {c.incident: c for c in history.casualties}
    scenario = history.as_scenario(TINY)
    draws = [resample(scenario, seed) for seed in range(12)]
    for drawn in draws:
        assert all(SINCE <= c.reported_at < history.until for c in drawn)
        incidents: dict[str, list[Casualty]] = {}
        for c in drawn:
            incidents.setdefault(c.incident, []).append(c)
        for group in incidents.values():
            source = originals[group[0].id.split("-", 1)[1].rsplit("-", 1)[0]]
            size = 4 if source.incident == "mascal" else 1
            assert len(group) == size and {c.location for c in group} == {source.location}
            offset = (group[0].injured_at - source.injured_at) % timedelta(days=1)
            assert min(offset, timedelta(days=1) - offset) <= timedelta(minutes=60)
    assert len({tuple(c.injured_at for c in drawn) for drawn in draws}) == len(draws)


def test_beside_a_scenario_the_history_comes_at_its_rate():
    history = ten_days()  # 2 requests a day; TINY lasts a day
    counts = [sum(c.id.startswith("h") for c in resample(TINY, seed, history)) for seed in range(40)]
    own = {sum(c.id.startswith("s") for c in resample(TINY, seed, history)) for seed in range(40)}
    assert 1.5 <= statistics.fmean(counts) <= 2.5 and len(set(counts)) > 1
    assert own == {len(TINY.casualties)}


def test_both_weighs_the_history_by_the_scenario_period():
    request = BasingRequest(runs=1, time_limit_s=5)
    result = plan_basing(TINY, request, ten_days(), demand="both")
    assert result.demand.history.weight == 0.1 and result.demand.history.requests == 20
    # TINY: an A and a B by day; the history: 10 by day and 10 by night, each counting 0.1.
    assert result.demand.urgent == {"day": 3.0, "night": 1.0}
    alone = plan_basing(TINY, request, ten_days(), demand="history")
    assert alone.demand.urgent == {"day": 10.0, "night": 10.0} and alone.demand.history.weight == 1.0
