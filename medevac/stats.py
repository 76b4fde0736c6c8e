"""Summary statistics of small samples, from the standard library alone.

Neutral ground: the simulator and the independent trace checker each decide on their own which
casualties were cared for and when; both then summarise their minutes the same way here.
"""

import math


def _round(value: float | None, digits: int | None) -> float | None:
    return value if value is None or digits is None else round(value, digits)


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ratio(count: int, of: int, digits: int | None = None) -> float | None:
    """count / of, or None when there is nothing to divide by."""
    return _round(count / of, digits) if of else None


def summary(values: list[float], digits: int | None = None) -> dict[str, float | None]:
    """The mean, median and 90th percentile (None each for no values), rounded to `digits`."""
    mean = sum(values) / len(values) if values else None
    return {"mean": _round(mean, digits), "p50": _round(percentile(values, 0.5), digits),
            "p90": _round(percentile(values, 0.9), digits)}
