"""Recompute the simulation result metrics (DESIGN.md §4) from the trace and the scenario alone."""

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
from medevac.stats import ratio, summary
from medevac.vocabulary import PRECEDENCES


class TimeToCare(BaseModel):
    """Minutes from injury to the first handover that meets the precedence, served patients only."""

    mean: float | None
    p50: float | None
    p90: float | None


class PrecedenceFigures(BaseModel):
    count: int
    within_standard: int
    share_within_standard: float | None
    time_to_care_min: TimeToCare
    unserved: int

    @classmethod
    def of(cls, care: list[float | None], on_time: list[bool], *, minutes_digits: int | None = None,
           share_digits: int | None = None) -> "PrecedenceFigures":
        """One precedence's figures from each casualty's minutes to care (None: never cared for)
        and whether it met its standard; whoever computes those decides them alone."""
        served = [m for m in care if m is not None]
        return cls(count=len(care), within_standard=sum(on_time),
                   share_within_standard=ratio(sum(on_time), len(care), share_digits),
                   time_to_care_min=TimeToCare(**summary(served, minutes_digits)), unserved=len(care) - len(served))


class Share(BaseModel):
    """A share with its counts beside it: response statistics are small samples."""

    count: int
    of: int
    share: float | None


class CareFigures(BaseModel):
    """How soon casualties reached care: the figures of a simulation result, which the checker
    recomputes from the trace (not the service's Prometheus metrics, `medevac.metrics`)."""

    precedence: dict[str, PrecedenceFigures]
    golden_hour: Share
    surgery_2h: Share


def share(count: int, of: int) -> Share:
    return Share(count=count, of=of, share=ratio(count, of))


def recompute(trace: Trace, theatre: Theatre) -> CareFigures:
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
        per_precedence[precedence] = PrecedenceFigures.of(care, on_time)

    urgent = [c for c in theatre.casualties.values() if c["precedence"] in ("A", "B")]
    surgical = [c for c in urgent if c["precedence"] == "B"]
    return CareFigures(
        precedence=per_precedence,
        golden_hour=share(
            sum(within(minutes_to(c, is_advanced_care), GOLDEN_HOUR_MIN) for c in urgent),
            len(urgent)),
        surgery_2h=share(
            sum(within(minutes_to(c, has_operating_table), SURGERY_MIN) for c in surgical),
            len(surgical)),
    )
