"""The basing model (maximal covering with backup, CP-SAT): built from plain data, solved, read back.

Variables, as in the model:
  x[k, j]     asset k stands at base j (exactly one base each; fixed assets have one choice)
  y[t, f]     forward team t sits at facility f (exactly one each)
  a[k, i, p]  asset k alone brings point i to resuscitation within 60 min in period p
  s[k, i, p]  asset k alone brings point i to an operating table within 2 h in period p
  v[k, i, p, f], u[k, i, p, f]  the same through a facility f that only a team makes capable
  g[i, p], c[i, p], b[i, p]  golden hour covered, surgery covered, a second asset in the golden hour
  h[i, p, T]  resuscitation within T ∈ PROXIMITY_MIN (how close the rest get)
Objective (one place): maximise Σ wᵤ·g + Σ wₛ·c first, then Σ wᵤ·(b + Σ_T h), then fewest moves
from today's laydown (lexicographic by scaling).
"""

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from medevac.dispatch.engine.model import GOLDEN_HOUR_MIN
from medevac.vocabulary import SURGERY_MIN
from medevac.basing.coverage import PROXIMITY_MIN, ReachTable, backup_scale, milli, move_scale, operates, resuscitates
from medevac.basing.demand import PERIODS
from medevac.basing.problem import TEAM_CAPABILITIES, BasingProblem, Laydown


@dataclass(frozen=True)
class Solution:
    laydown: Laydown
    objective: int
    optimal: bool
    solve_s: float


class BasingModel:
    def __init__(self, problem: BasingProblem, table: ReachTable):
        self.problem, self.table = problem, table
        self.m = cp_model.CpModel()
        self.x = {(k, j): self.m.NewBoolVar(f"x[{k},{j}]") for k, js in problem.allowed.items() for j in js}
        self.y = {(t, f): self.m.NewBoolVar(f"y[{t},{f}]") for t, fs in problem.team_sites.items() for f in fs}
        self._placement()
        self._coverage()

    def _placement(self) -> None:
        p = self.problem
        for k, js in p.allowed.items():
            self.m.AddExactlyOne(self.x[k, j] for j in js)
        for t, fs in p.team_sites.items():
            self.m.AddExactlyOne(self.y[t, f] for f in fs)
        for base in p.bases:
            standing = [v for (k, j), v in self.x.items() if j == base.id]
            if len(standing) > base.max_assets:
                self.m.Add(sum(standing) <= base.max_assets)

    def _team_at(self, f: str, capability: str) -> list:
        kinds = {t.id: t.kind for t in self.problem.teams}
        return [v for (t, site), v in self.y.items() if site == f and capability in TEAM_CAPABILITIES[kinds[t]]]

    def _delivers(self, k: str, i: str, p: str, limit: float, inherent: set[str], capability: str):
        """A literal true only if asset k, where it stands, brings point i to a capable facility in time."""
        direct = [self.x[k, j] for j in self.problem.allowed[k]
                  if any(f in inherent and m <= limit for f, m in self.table.get((k, j, i, p), {}).items())]
        via_team = []
        for f in {f.id for f in self.problem.facilities} - inherent:
            teams = self._team_at(f, capability)
            stands = [self.x[k, j] for j in self.problem.allowed[k]
                      if self.table.get((k, j, i, p), {}).get(f, limit + 1) <= limit]
            if teams and stands:
                v = self.m.NewBoolVar(f"v[{k},{i},{p},{f},{capability},{limit}]")
                self.m.Add(v <= sum(stands))
                self.m.Add(v <= sum(teams))
                via_team.append(v)
        if not direct and not via_team:
            return None
        lit = self.m.NewBoolVar(f"{capability[0]}[{k},{i},{p},{limit}]")
        self.m.Add(lit <= sum(direct) + sum(via_team))
        return lit

    def _coverage(self) -> None:
        p = self.problem
        resus = {f.id for f in p.facilities if resuscitates(f)}
        surgery = {f.id for f in p.facilities if operates(f)}
        primary, backup = [], []
        for point in p.demand:
            for period in PERIODS:
                wu, ws = milli(point.urgent(period)), milli(point.surgical(period))
                a = [lit for k in p.allowed if (lit := self._delivers(
                    k, point.id, period, GOLDEN_HOUR_MIN, resus, "resuscitation")) is not None] if wu else []
                s = [lit for k in p.allowed if (lit := self._delivers(
                    k, point.id, period, SURGERY_MIN, surgery, "damage_control_surgery")) is not None] if ws else []
                if a:
                    g = self.m.NewBoolVar(f"g[{point.id},{period}]")
                    b = self.m.NewBoolVar(f"b[{point.id},{period}]")
                    self.m.Add(g <= sum(a))
                    self.m.Add(2 * b <= sum(a))
                    primary.append(wu * g)
                    backup.append(wu * b)
                for limit in PROXIMITY_MIN if wu else ():
                    near = [lit for k in p.allowed if (lit := self._delivers(
                        k, point.id, period, limit, resus, "resuscitation")) is not None]
                    if near:
                        h = self.m.NewBoolVar(f"h[{point.id},{period},{limit}]")
                        self.m.Add(h <= sum(near))
                        backup.append(wu * h)
                if s:
                    c = self.m.NewBoolVar(f"c[{point.id},{period}]")
                    self.m.Add(c <= sum(s))
                    primary.append(ws * c)
        stay = [self.x[k, j] for k, j in p.current.bases.items()]
        stay += [self.y[t, f] for t, f in p.current.teams.items() if (t, f) in self.y]
        spare = move_scale(p)
        moved = len(stay) - sum(stay)
        self.m.Maximize((sum(primary) * (backup_scale(p) + 1) + sum(backup)) * (spare + 1) + spare - moved)

    def hint(self, laydown: Laydown) -> None:
        for (k, j), v in self.x.items():
            self.m.AddHint(v, laydown.bases.get(k) == j)
        for (t, f), v in self.y.items():
            self.m.AddHint(v, laydown.teams.get(t) == f)

    def read(self, solver: cp_model.CpSolver) -> Laydown:
        return Laydown(bases={k: j for (k, j), v in self.x.items() if solver.BooleanValue(v)},
                       teams={t: f for (t, f), v in self.y.items() if solver.BooleanValue(v)})


def optimise(problem: BasingProblem, table: ReachTable, time_limit_s: float = 10.0, workers: int = 2) -> Solution:
    """The best laydown found within the time limit, hinted with today's (which is always feasible)."""
    started = time.perf_counter()
    model = BasingModel(problem, table)
    if _current_feasible(problem):
        model.hint(problem.current)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.Solve(model.m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ValueError("no laydown satisfies the constraints (per-base limits, fixed assets)")
    return Solution(model.read(solver), round(solver.ObjectiveValue()), status == cp_model.OPTIMAL,
                    time.perf_counter() - started)


def _current_feasible(problem: BasingProblem) -> bool:
    counts: dict[str, int] = {}
    for j in problem.current.bases.values():
        counts[j] = counts.get(j, 0) + 1
    limits = {b.id: b.max_assets for b in problem.bases}
    teams_ok = all(t.id in problem.current.teams for t in problem.teams)
    return teams_ok and all(n <= limits[j] for j, n in counts.items())


