"""Means with 95 % intervals (Student's t) over seeded runs; paired differences between laydowns."""

import math
import statistics

from pydantic import BaseModel

# Two-sided 95 % quantiles of Student's t by degrees of freedom (a lower df is the safe side).
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
        10: 2.228, 12: 2.179, 15: 2.131, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042, 40: 2.021,
        60: 2.000, 120: 1.980}


class Interval(BaseModel):
    mean: float | None
    low: float | None
    high: float | None
    n: int


def t95(df: int) -> float:
    return _T95[max(k for k in _T95 if k <= df)] if df >= 1 else math.inf


def interval(values: list[float], digits: int = 4, within: tuple[float, float] | None = None) -> Interval:
    """Mean and 95 % interval; `within` clips the interval to what the quantity can be (a share)."""
    if not values:
        return Interval(mean=None, low=None, high=None, n=0)
    mean = statistics.fmean(values)
    if len(values) == 1:
        return Interval(mean=round(mean, digits), low=None, high=None, n=1)
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    low, high = mean - half, mean + half
    if within is not None:
        low, high = max(low, within[0]), min(high, within[1])
    return Interval(mean=round(mean, digits), low=round(low, digits), high=round(high, digits), n=len(values))
