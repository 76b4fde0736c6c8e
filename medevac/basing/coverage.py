"""Which asset, standing where, brings which demand point to which facility in time, by day and night.

`reach_table(problem)` precomputes minutes from injury to handover for every (asset, base, demand
point, period, facility) that the hard rules allow: range (out, in, and home unless it refuels),
landing (helipad / airfield), night (asset capability, night operations at the base, night landings
at the facility), with the engine's own leg arithmetic. `score(problem, table, laydown)` then says,
for one laydown, which points are covered; the optimiser and the brute force share this definition.
"""

from dataclasses import dataclass

from pydantic import BaseModel

from medevac.dispatch.engine.model import GOLDEN_HOUR_MIN
from medevac.dispatch.engine.rules import landing_rejects, pickup_rejects
from medevac.dispatch.engine.travel import leg_km, leg_seconds
from medevac.dispatch.scenario import Asset, Facility
from medevac.vocabulary import SURGERY_MIN
from medevac.basing.demand import PERIODS, DemandPoint, Period
from medevac.basing.problem import TEAM_CAPABILITIES, Base, BasingProblem, Laydown

Key = tuple[str, str, str, Period]  # asset, base, demand point, period
ReachTable = dict[Key, dict[str, float]]  # → facility id → minutes from injury to handover
# Where the golden hour is out of reach, closer still matters: graded resuscitation thresholds
# (a stepwise p-median) share the secondary objective with backup coverage.
PROXIMITY_MIN = (90, 120, 180, 240)


def resuscitates(f: Facility) -> bool:
    return "resuscitation" in f.capabilities


def operates(f: Facility) -> bool:
    return f.operating_tables > 0


def _night_ok(asset: Asset, base: Base, facility: Facility) -> bool:
    if not asset.night_capable or not base.night_operations:
        return False
    return asset.kind == "ground" or facility.night_landing


def _sortie_minutes(problem: BasingProblem, asset: Asset, base: Base, point: DemandPoint,
                    facility: Facility, period: Period) -> float | None:
    out_km = leg_km(asset, base.location, point.location, problem.road_factor)
    in_km = leg_km(asset, point.location, facility.location, problem.road_factor)
    home_km = 0.0 if facility.refuel else leg_km(asset, facility.location, base.location, problem.road_factor)
    if out_km + in_km + home_km > asset.range_km:
        return None
    if period == "night" and not _night_ok(asset, base, facility):
        return None
    notice = asset.notice_to_move_min.night if period == "night" else asset.notice_to_move_min.day
    seconds = leg_seconds(asset, out_km) + leg_seconds(asset, in_km)
    return problem.report_delay_min + notice + problem.load_min + problem.unload_min + seconds / 60


def reach_table(problem: BasingProblem) -> ReachTable:
    table: ReachTable = {}
    bases = {b.id: b for b in problem.bases}
    for asset in problem.assets:
        for base_id in problem.allowed[asset.id]:
            base = bases[base_id]
            on_base = asset.model_copy(update={"base": base.location})
            for point in problem.demand:
                if pickup_rejects(on_base, point.location, problem.facilities):
                    continue
                for period in PERIODS:
                    times = {}
                    for f in problem.facilities:
                        if landing_rejects(asset, f) is None and (
                                m := _sortie_minutes(problem, asset, base, point, f, period)) is not None:
                            times[f.id] = m
                    if times:
                        table[(asset.id, base_id, point.id, period)] = times
    return table


class PointCoverage(BaseModel):
    """One demand point in one period under one laydown: who gets there in time."""

    point: str
    period: Period
    golden_hour_assets: int  # assets that alone bring it to resuscitation within 60 min
    surgery_2h: bool
    best_resuscitation_min: float | None


@dataclass(frozen=True)
class Score:
    points: list[PointCoverage]
    primary: int  # Σ urgent weight × golden hour + Σ surgical weight × surgery ≤ 2 h (milli-casualties)
    backup: int  # Σ urgent weight × (a second asset within the golden hour, and each proximity step met)

    moves: int = 0  # assets and teams away from where they are today (the tie-breaker)

    def objective(self, problem: BasingProblem) -> int:
        spare = move_scale(problem)
        return (self.primary * (backup_scale(problem) + 1) + self.backup) * (spare + 1) + spare - self.moves


def milli(weight: float) -> int:
    return round(weight * 1000)


def backup_scale(problem: BasingProblem) -> int:
    urgent = sum(milli(p.urgent(period)) for p in problem.demand for period in PERIODS)
    return urgent * (1 + len(PROXIMITY_MIN))


def move_scale(problem: BasingProblem) -> int:
    return len(problem.assets) + len(problem.teams)


def moves(problem: BasingProblem, laydown: Laydown) -> int:
    moved = sum(laydown.bases[k] != j for k, j in problem.current.bases.items())
    return moved + sum(laydown.teams.get(t) != f for t, f in problem.current.teams.items())


def capable(problem: BasingProblem, placed: dict[str, str]) -> tuple[set[str], set[str]]:
    """Facility ids with resuscitation and with an operating table, given the placed teams."""
    kinds = {t.id: t.kind for t in problem.teams}
    resus = {f.id for f in problem.facilities if resuscitates(f)}
    surgery = {f.id for f in problem.facilities if operates(f)}
    for team, at in placed.items():
        resus.add(at)
        if "damage_control_surgery" in TEAM_CAPABILITIES[kinds[team]]:
            surgery.add(at)
    return resus, surgery


def score(problem: BasingProblem, table: ReachTable, laydown: Laydown) -> Score:
    resus, surgery = capable(problem, laydown.teams)
    points, primary, backup = [], 0, 0
    for point in problem.demand:
        for period in PERIODS:
            reach = [table.get((a.id, laydown.bases[a.id], point.id, period), {}) for a in problem.assets]
            golden = [min((m for f, m in r.items() if f in resus), default=None) for r in reach]
            in_time = [m for m in golden if m is not None and m <= GOLDEN_HOUR_MIN]
            cut = any(m <= SURGERY_MIN for r in reach for f, m in r.items() if f in surgery)
            best = min((m for m in golden if m is not None), default=None)
            points.append(PointCoverage(point=point.id, period=period, golden_hour_assets=len(in_time),
                                        surgery_2h=cut, best_resuscitation_min=best and round(best, 1)))
            urgent = milli(point.urgent(period))
            primary += urgent * bool(in_time) + milli(point.surgical(period)) * cut
            backup += urgent * ((len(in_time) >= 2) + sum(best is not None and best <= t for t in PROXIMITY_MIN))
    return Score(points, primary, backup, moves(problem, laydown))
