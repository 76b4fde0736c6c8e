"""Expected survivors: the published curve, the engine's objective and the simulation result."""

import pytest

from medevac.dispatch.engine.survival import DEFAULT_SURVIVAL, SurvivalCurve, beta_cdf, survival
from medevac.dispatch.scenario import Scenario
from medevac.dispatch.simulator import simulate
from tests.dispatch.test_simulator import THEATRE


def test_urgent_curve_has_the_published_shape():
    urgent = DEFAULT_SURVIVAL["A"]
    values = [round(survival(urgent, m), 3) for m in (0, 60, 90, 120, 150, 400)]
    assert values == [1.0, 0.904, 0.58, 0.148, 0.0, 0.0]
    assert survival(DEFAULT_SURVIVAL["C"], 200) == pytest.approx(0.05)  # a straight line to 400 min, weight 0.1
    assert survival(DEFAULT_SURVIVAL["D"], 0) == pytest.approx(0.01)
    assert survival(urgent, None) == 0.0


def test_beta_cdf_matches_its_closed_forms():
    assert beta_cdf(0.3, 1, 1) == pytest.approx(0.3)
    assert beta_cdf(0.3, 2, 1) == pytest.approx(0.09)  # x^a for b = 1
    assert beta_cdf(0.3, 1, 3) == pytest.approx(1 - 0.7**3)  # 1 - (1-x)^b for a = 1


def test_curve_falls_with_time_for_every_precedence():
    for curve in DEFAULT_SURVIVAL.values():
        values = [survival(curve, m) for m in range(0, 3000, 7)]
        assert all(a >= b for a, b in zip(values, values[1:]))


def test_a_configured_curve_is_used():
    steep = SurvivalCurve(horizon_min=60, a=1, b=1, weight=1)
    assert survival(steep, 30) == pytest.approx(0.5)


def test_simulation_reports_expected_survivors_and_unreachable_apart():
    theatre = {**THEATRE, "casualties": [
        {"id": "near", "injured_at": "2024-03-10T07:00:00Z", "reported_at": "2024-03-10T07:10:00Z",
         "location": {"lat": 6.6, "lon": 22.05}, "precedence": "A", "patient_type": "litter"},
        {"id": "far", "injured_at": "2024-03-10T07:00:00Z", "reported_at": "2024-03-10T07:10:00Z",
         "location": {"lat": 11.5, "lon": 25.0}, "precedence": "A", "patient_type": "litter"},
    ]}
    theatre.pop("arrivals")
    theatre["scripted_events"] = []
    result, _ = simulate(Scenario.model_validate(theatre), "closest")
    assert result.expected_survivors_of == 2.0
    assert 0.5 < result.expected_survivors < 1.0  # the near one, inside the curve; the far one never
    assert (result.unserved_reachable, result.unserved_unreachable) == (0, 1)
    (far,) = result.unreachable
    assert far.casualty == "far" and "range" in far.reason
