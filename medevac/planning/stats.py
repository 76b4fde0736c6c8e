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


def interval(values: list[float], digits: int = 4) -> Interval:
    if not values:
        return Interval(mean=None, low=None, high=None, n=0)
    mean = statistics.fmean(values)
    if len(values) == 1:
        return Interval(mean=round(mean, digits), low=None, high=None, n=1)
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return Interval(mean=round(mean, digits), low=round(mean - half, digits), high=round(mean + half, digits),
                    n=len(values))
