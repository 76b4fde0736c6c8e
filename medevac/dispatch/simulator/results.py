"""The simulation result document (DESIGN §4) and the care figures behind it.

The figures are computed from handovers alone (casualty id → facility, time), so the same function
recomputes them from a trace: `metrics_from_trace`.
"""

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, Field

from medevac.dispatch.engine.model import DEFAULT_STANDARDS_MIN, GOLDEN_HOUR_MIN
from medevac.dispatch.engine.survival import DEFAULT_SURVIVAL, SurvivalCurve, survival
from medevac.dispatch.scenario import PRECEDENCES, Casualty, Facility

# One result schema for the simulator and the independent checker (which computes its own
# numbers from the trace); only the document's shape is shared.
from medevac.dispatch.tracecheck.metrics import CareFigures, PrecedenceFigures, Share, TimeToCare
from medevac.stats import percentile, ratio, summary
from medevac.vocabulary import SURGERY_MIN

Handovers = dict[str, list[tuple[str, datetime]]]


class Latency(BaseModel):
    calls: int
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None
    fallbacks: int = 0


class Unreachable(BaseModel):
    """A casualty no aircraft or vehicle could have served, why, and the nearest way that would."""

    casualty: str
    precedence: str
    reason: str
    nearest_way: str | None = None


class SimulationResult(CareFigures):
    scenario: str
    policy: str
    seed: int
    solver: Latency
    contention_free_bound: CareFigures
    expected_survivors: float = Field(description=(
        "sum over casualties of the survival curve at their time to care (urgent casualty = 1; "
        "docs/dispatch.md)"))
    expected_survivors_of: float = Field(description="the same sum were everyone cared for at once")
    unserved_reachable: int = Field(description="casualties not handed over that some asset could have served")
    unserved_unreachable: int = Field(description="casualties no asset can serve (see `unreachable`)")
    unreachable: list[Unreachable] = Field(default_factory=list)
    urgent_time_to_care_min: TimeToCare = Field(description="A and B together, served casualties only")


def _share(count: int, of: int) -> Share:
    return Share(count=count, of=of, share=ratio(count, of, 4))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def serves(precedence: str, facility: Facility) -> bool:
    needed = {"A": {"resuscitation"}, "B": {"damage_control_surgery", "surgery"}}.get(precedence)
    return not needed or bool(needed & set(facility.capabilities))


def metrics(casualties: list[Casualty], handovers: Handovers, facilities: dict[str, Facility]) -> CareFigures:
    def minutes_to(c: Casualty, accept: Callable[[Facility], bool]) -> float | None:
        for facility_id, at in sorted(handovers.get(c.id, []), key=lambda h: h[1]):
            if facility_id in facilities and accept(facilities[facility_id]):
                return (at - c.injured_at).total_seconds() / 60
        return None

    def within(minutes: float | None, limit: float) -> bool:
        return minutes is not None and minutes <= limit

    def surgical(f: Facility) -> bool:
        return f.operating_tables > 0

    def advanced(f: Facility) -> bool:
        return "resuscitation" in f.capabilities

    per_precedence = {}
    for p in PRECEDENCES:
        group = [c for c in casualties if c.precedence == p]
        care = [minutes_to(c, lambda f, p=p: serves(p, f)) for c in group]
        if p == "B":
            on_time = [within(minutes_to(c, surgical), SURGERY_MIN) for c in group]
        else:
            on_time = [within(m, DEFAULT_STANDARDS_MIN[p]) for m in care]
        per_precedence[p] = PrecedenceFigures.of(care, on_time, minutes_digits=1, share_digits=4)
    urgent = [c for c in casualties if c.precedence in ("A", "B")]
    return CareFigures(
        precedence=per_precedence,
        golden_hour=_share(sum(within(minutes_to(c, advanced), GOLDEN_HOUR_MIN) for c in urgent), len(urgent)),
        surgery_2h=_share(sum(within(minutes_to(c, surgical), SURGERY_MIN) for c in urgent if c.precedence == "B"),
                          sum(c.precedence == "B" for c in urgent)),
    )


def care_minutes(casualties: list[Casualty], handovers: Handovers,
                 facilities: dict[str, Facility]) -> dict[str, float | None]:
    """Minutes from injury to the first handover that serves the precedence (None: never)."""
    out: dict[str, float | None] = {}
    for c in casualties:
        served = [at for fid, at in handovers.get(c.id, []) if fid in facilities and serves(c.precedence, facilities[fid])]
        out[c.id] = (min(served) - c.injured_at).total_seconds() / 60 if served else None
    return out


def urgent_time_to_care(casualties: list[Casualty], minutes: dict[str, float | None]) -> TimeToCare:
    served = [minutes[c.id] for c in casualties if c.precedence in "AB" and minutes[c.id] is not None]
    return TimeToCare(**summary(served, 1))


def expected_survivors(casualties: list[Casualty], handovers: Handovers, facilities: dict[str, Facility],
                       curves: dict[str, SurvivalCurve] = DEFAULT_SURVIVAL) -> tuple[float, float]:
    """(expected survivors of the run, the most any run could reach: everyone cared for at once)."""
    minutes = care_minutes(casualties, handovers, facilities)
    got = sum(survival(curves[c.precedence], minutes[c.id]) for c in casualties)
    return round(got, 3), round(sum(survival(curves[c.precedence], 0) for c in casualties), 3)


def metrics_from_trace(records: list[dict], casualties: list[Casualty], facilities: dict[str, Facility]) -> CareFigures:
    """Recompute the metrics from the trace's handover records alone."""
    handovers: Handovers = {}
    for record in records:
        if record.get("type") == "handover":
            at = datetime.fromisoformat(record["at"].replace("Z", "+00:00"))
            handovers.setdefault(record["casualty"], []).append((record["facility"], at))
    return metrics(casualties, handovers, facilities)


def latency(samples_ms: list[float], fallbacks: int) -> Latency:
    return Latency(
        calls=len(samples_ms), p50_ms=_round(percentile(samples_ms, 0.5)),
        p95_ms=_round(percentile(samples_ms, 0.95)), max_ms=_round(max(samples_ms, default=None)),
        fallbacks=fallbacks,
    )
