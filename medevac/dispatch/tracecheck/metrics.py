"""Recompute the simulation result metrics (DESIGN.md §4) from the trace and the scenario alone."""

import math
from collections.abc import Callable

from pydantic import BaseModel

from medevac.dispatch.tracecheck.records import Handover, Theatre, Trace
from medevac.dispatch.tracecheck.standards import (
    GOLDEN_HOUR_MIN,
    STANDARD_MIN,
    SURGERY_MIN,
    has_operating_table,
    is_advanced_care,
    meets_precedence,
)

PRECEDENCES = ("A", "B", "C", "D", "E")


class TimeToCare(BaseModel):
    """Minutes from injury to the first handover that meets the precedence, served patients only."""

    mean: float | None
    p50: float | None
    p90: float | None


class PrecedenceMetrics(BaseModel):
    count: int
    within_standard: int
    share_within_standard: float | None
    time_to_care_min: TimeToCare
    unserved: int


class Share(BaseModel):
    """A share with its counts beside it: response statistics are small samples."""

    count: int
    of: int
    share: float | None


class Metrics(BaseModel):
    precedence: dict[str, PrecedenceMetrics]
    golden_hour: Share
    surgery_2h: Share


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def share(count: int, of: int) -> Share:
    return Share(count=count, of=of, share=count / of if of else None)


def recompute(trace: Trace, theatre: Theatre) -> Metrics:
    handovers: dict[str, list[Handover]] = {}
    for handover in sorted(trace.handovers, key=lambda h: (h.at, h.line)):
        if handover.facility in theatre.facilities:
            handovers.setdefault(handover.casualty, []).append(handover)

    def minutes_to(casualty: dict, accept: Callable[[dict], bool]) -> float | None:
        """Minutes from injury to the first handover at a facility that `accept`s."""
        for handover in handovers.get(casualty["id"], []):
            if accept(theatre.facilities[handover.facility]):
                return (handover.at - casualty["injured_at"]).total_seconds() / 60
        return None

    def within(minutes: float | None, limit: float) -> bool:
        return minutes is not None and minutes <= limit

    per_precedence = {}
    for precedence in PRECEDENCES:
        group = [c for c in theatre.casualties.values() if c["precedence"] == precedence]
        care = [minutes_to(c, lambda f, p=precedence: meets_precedence(p, f)) for c in group]
        if precedence == "B":
            on_time = [within(minutes_to(c, has_operating_table), SURGERY_MIN) for c in group]
        else:
            on_time = [within(m, STANDARD_MIN[precedence]) for m in care]
        served = [m for m in care if m is not None]
        per_precedence[precedence] = PrecedenceMetrics(
            count=len(group),
            within_standard=sum(on_time),
            share_within_standard=sum(on_time) / len(group) if group else None,
            time_to_care_min=TimeToCare(
                mean=sum(served) / len(served) if served else None,
                p50=percentile(served, 0.5),
                p90=percentile(served, 0.9),
            ),
            unserved=len(group) - len(served),
        )

    urgent = [c for c in theatre.casualties.values() if c["precedence"] in ("A", "B")]
    surgical = [c for c in urgent if c["precedence"] == "B"]
    return Metrics(
        precedence=per_precedence,
        golden_hour=share(
            sum(within(minutes_to(c, is_advanced_care), GOLDEN_HOUR_MIN) for c in urgent),
            len(urgent)),
        surgery_2h=share(
            sum(within(minutes_to(c, has_operating_table), SURGERY_MIN) for c in surgical),
            len(surgical)),
    )
