"""The answer a planner reads and the console map draws: proposal, coverage per point, evidence."""

import math
from datetime import datetime

from pydantic import BaseModel

from medevac.dispatch.scenario import Location
from medevac.basing.coverage import PointCoverage, Score
from medevac.basing.demand import PERIODS, DemandPoint
from medevac.basing.evidence import RunOutcome
from medevac.basing.history import DemandSource, History
from medevac.basing.problem import BasingProblem, Laydown
from medevac.basing.stats import Interval, interval
from medevac.geo import distance_km


class Move(BaseModel):
    item: str  # asset or team id
    kind: str  # "asset" or the team kind
    from_base: str | None
    to_base: str


class PointReport(BaseModel):
    """One demand point for the map: expected urgent casualties and both laydowns' coverage."""

    id: str
    location: Location
    urgent: dict[str, float]
    current: dict[str, PointCoverage]
    proposed: dict[str, PointCoverage]
    missed_per_run: float | None = None  # urgent casualties missing the golden hour, proposed laydown


class LaydownEvidence(BaseModel):
    golden_hour_share: Interval
    surgery_2h_share: Interval
    mean_time_to_care_min: Interval
    urgent_per_run: Interval


class Evidence(BaseModel):
    runs: int
    policy: str
    current: LaydownEvidence
    proposed: LaydownEvidence
    golden_hour_gain: Interval  # paired: proposed − current, per seed
    surgery_2h_gain: Interval
    time_to_care_gain_min: Interval  # current − proposed: positive is faster


class Optimiser(BaseModel):
    solve_s: float
    optimal: bool
    objective: int
    model_share_current: float | None  # urgent demand the model covers in the golden hour
    model_share_proposed: float | None


class HistoryWindow(BaseModel):
    since: datetime
    until: datetime
    requests: int
    casualties: int
    weight: float  # what one casualty of the history counts for: 1, or (demand `both`) period ÷ window


class DemandSummary(BaseModel):
    source: DemandSource
    points: int
    urgent: dict[str, float]  # expected A+B casualties over the planned period, by day and night
    history: HistoryWindow | None = None


class BasingResult(BaseModel):
    scenario: str
    demand: DemandSummary
    current: Laydown
    proposed: Laydown
    moves: list[Move]
    optimiser: Optimiser
    points: list[PointReport]
    evidence: Evidence | None = None


SHARE = (0.0, 1.0)


def demand_summary(source: DemandSource, history: History | None, scale: float,
                   demand: list[DemandPoint]) -> DemandSummary:
    window = None
    if source != "scenario" and history is not None:
        window = HistoryWindow(since=history.since, until=history.until, requests=history.requests,
                               casualties=len(history.casualties), weight=round(scale or 1.0, 6))
    return DemandSummary(source=source, points=len(demand), history=window,
                         urgent={x: round(sum(p.urgent(x) for p in demand), 3) for x in PERIODS})


def moves(problem: BasingProblem, proposed: Laydown) -> list[Move]:
    kinds = {t.id: t.kind for t in problem.teams}
    out = [Move(item=k, kind="asset", from_base=problem.current.bases[k], to_base=j)
           for k, j in proposed.bases.items() if problem.current.bases[k] != j]
    out += [Move(item=t, kind=kinds[t], from_base=problem.current.teams.get(t), to_base=f)
            for t, f in proposed.teams.items() if problem.current.teams.get(t) != f]
    return out


def model_share(problem: BasingProblem, score: Score) -> float | None:
    weights = {(p.id, period): p.urgent(period) for p in problem.demand for period in PERIODS}
    total = sum(weights.values())
    covered = sum(weights[c.point, c.period] for c in score.points if c.golden_hour_assets)
    return round(covered / total, 4) if total else None


def points(problem: BasingProblem, current: Score, proposed: Score) -> list[PointReport]:
    def by_point(score: Score, point: str) -> dict[str, PointCoverage]:
        return {c.period: c for c in score.points if c.point == point}

    return [PointReport(id=p.id, location=p.location, urgent={x: round(p.urgent(x), 3) for x in PERIODS},
                        current=by_point(current, p.id), proposed=by_point(proposed, p.id))
            for p in problem.demand]


def nearest(demand: list[DemandPoint], lat: float, lon: float) -> str:
    return min(demand, key=lambda p: distance_km(p.location.lat, p.location.lon, lat, lon)).id


def summarise(runs: list[RunOutcome]) -> LaydownEvidence:
    return LaydownEvidence(
        golden_hour_share=interval([r.golden_hour / r.urgent for r in runs if r.urgent], within=SHARE),
        surgery_2h_share=interval([r.surgery_2h / r.surgical for r in runs if r.surgical], within=SHARE),
        mean_time_to_care_min=interval([sum(r.care_minutes) / len(r.care_minutes) for r in runs
                                        if r.care_minutes], digits=1, within=(0.0, math.inf)),
        urgent_per_run=interval([float(r.urgent) for r in runs], digits=1),
    )


def compare(current: list[RunOutcome], proposed: list[RunOutcome], policy: str) -> Evidence:
    pairs = list(zip(current, proposed))

    def gain(share) -> Interval:
        return interval([b - a for a, b in ((share(c), share(p)) for c, p in pairs)
                         if a is not None and b is not None])

    def mean_care(r: RunOutcome) -> float | None:
        return sum(r.care_minutes) / len(r.care_minutes) if r.care_minutes else None

    return Evidence(
        runs=len(pairs), policy=policy, current=summarise(current), proposed=summarise(proposed),
        golden_hour_gain=gain(lambda r: r.golden_hour / r.urgent if r.urgent else None),
        surgery_2h_gain=gain(lambda r: r.surgery_2h / r.surgical if r.surgical else None),
        time_to_care_gain_min=interval([a - b for a, b in ((mean_care(c), mean_care(p)) for c, p in pairs)
                                        if a is not None and b is not None], digits=1),
    )


def missed_by_point(reports: list[PointReport], demand: list[DemandPoint], runs: list[RunOutcome]) -> list[PointReport]:
    counts: dict[str, int] = {}
    for r in runs:
        for lat, lon in r.missed:
            key = nearest(demand, lat, lon)
            counts[key] = counts.get(key, 0) + 1
    n = max(1, len(runs))
    return [p.model_copy(update={"missed_per_run": round(counts.get(p.id, 0) / n, 2)}) for p in reports]
