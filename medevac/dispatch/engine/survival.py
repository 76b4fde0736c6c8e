"""Expected survivors: one published curve of lifesaving value against time to care per precedence.

The shape is the one of the MEDEVAC dispatching model of Robbins, M. J., et al.,
"Approximate dynamic programming for the aeromedical evacuation dispatching problem: value
function approximation utilizing multiple level aggregation", Omega 91 (2020) 102020, building on
Keneally, Robbins & Lunday, Health Care Management Science 19(2) (2016) 111-129 (parameters as a
public re-implementation of that model has them; see docs/dispatch.md): a casualty of class k
handed to care t minutes after injury (the source counts response time) is worth

    w_k · I_x(a_k, b_k),   x = max(0, (T_k - t) / T_k)

where I_x is the regularised incomplete beta function (the Beta(a, b) distribution function):
urgent Beta(3, 5) over T = 150 min, priority Beta(1, 1) (a straight line) over 400 min, routine a
straight line over 2400 min, with lifesaving weights 100 : 10 : 1. We count an urgent casualty
handed over at once as one survivor, so the weights become 1, 0.1 and 0.01; an urgent casualty
is then worth 0.90 at 60 min, 0.58 at 90, 0.15 at 120 and nothing from 150 min. Urgent-surgical
(B) follows the urgent curve, convenience (E) the routine one.

A mission may configure its own curves (`Snapshot.survival`); integer shapes keep the function a
finite sum, exact and fast.
"""

from math import comb

from pydantic import BaseModel, ConfigDict, Field


class SurvivalCurve(BaseModel):
    """w · I_x(a, b) with x = (horizon - minutes) / horizon, 0 from the horizon on."""

    model_config = ConfigDict(frozen=True)

    horizon_min: float = Field(gt=0, description="minutes from injury after which care saves nothing more")
    a: int = Field(ge=1, le=20, description="Beta shape a (integer)")
    b: int = Field(ge=1, le=20, description="Beta shape b (integer)")
    weight: float = Field(gt=0, description="lifesaving weight, an urgent casualty = 1")


URGENT = SurvivalCurve(horizon_min=150, a=3, b=5, weight=1.0)
PRIORITY = SurvivalCurve(horizon_min=400, a=1, b=1, weight=0.1)
ROUTINE = SurvivalCurve(horizon_min=2400, a=1, b=1, weight=0.01)
DEFAULT_SURVIVAL: dict[str, SurvivalCurve] = {"A": URGENT, "B": URGENT, "C": PRIORITY, "D": ROUTINE, "E": ROUTINE}


def beta_cdf(x: float, a: int, b: int) -> float:
    """The Beta(a, b) distribution function at x, for integer shapes (a binomial tail)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    n = a + b - 1
    return sum(comb(n, j) * x**j * (1 - x) ** (n - j) for j in range(a, n + 1))


def survival(curve: SurvivalCurve, minutes: float | None) -> float:
    """Expected survivors of one casualty handed to care `minutes` after injury (None: never)."""
    if minutes is None:
        return 0.0
    x = (curve.horizon_min - max(0.0, minutes)) / curve.horizon_min
    return curve.weight * beta_cdf(x, curve.a, curve.b)
