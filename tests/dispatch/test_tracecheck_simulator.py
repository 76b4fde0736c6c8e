"""The simulator's traces of the shipped scenarios pass the independent checker, metric for metric."""

import json
import pytest

from medevac.dispatch.scenario import load_scenario, shipped_scenarios
from medevac.dispatch.simulator import simulate
from medevac.dispatch.tracecheck import check

SCENARIOS = shipped_scenarios()


@pytest.mark.parametrize("filename", ["minusca.json", "minusma.json", "masscal.json"])
def test_closest_policy_trace_is_physical_and_reproduces_the_result(filename, tmp_path):
    path = SCENARIOS / filename
    result, records = simulate(load_scenario(str(path)), "closest", seed=1)
    trace = tmp_path / "trace.jsonl"
    trace.write_text("".join(json.dumps(record) + "\n" for record in records))

    report = check(path, trace)

    assert [str(v) for v in report.violations] == []
    assert report.legs > 0 and report.handovers > 0
    for name in ("golden_hour", "surgery_2h"):
        mine, theirs = getattr(report.metrics, name), getattr(result, name)
        assert (mine.count, mine.of) == (theirs.count, theirs.of)
    for precedence, theirs in result.precedence.items():
        mine = report.metrics.precedence[precedence]
        assert (mine.count, mine.within_standard, mine.unserved) == (
            theirs.count, theirs.within_standard, theirs.unserved)
        for stat in ("mean", "p50", "p90"):
            actual = getattr(mine.time_to_care_min, stat)
            # The result document rounds minutes to one decimal.
            rounded = None if actual is None else round(actual, 1)
            assert rounded == getattr(theirs.time_to_care_min, stat), (precedence, stat)
