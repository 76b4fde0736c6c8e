"""Evidence: today's laydown against the proposal, simulated over many seeded runs of the same demand.

Each seed draws one busy-or-quiet period from the demand: a scenario with an arrival generator
uses it; one with only named casualties is bootstrapped by incident (drawn with replacement,
shifted by whole days so day stays day and night stays night, jittered by up to an hour), so mass
casualty bursts stay bursts. A mission's history (demand `history`) is such a scenario over its own
window; beside a scenario (`both`) it is bootstrapped the same way into the scenario's period, a
Poisson number of incidents at the rate the history shows. Both laydowns see the same casualties
for a seed (paired runs).

`outcome(job)` is pure and picklable: a planner may map it over any executor (a process pool,
Dask's `client.map`, Ray's `ray.util.multiprocessing.Pool`) without changing the model.
"""

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel

from medevac.dispatch.engine.model import GOLDEN_HOUR_MIN
from medevac.dispatch.scenario import Casualty, Scenario
from medevac.dispatch.simulator import scenario_casualties
from medevac.vocabulary import SURGERY_MIN
from medevac.dispatch.simulator.run import simulate_run
from medevac.basing.history import DAY, History

Mapper = Callable[[Callable, Iterable], Iterable]
POLICY = "closest"  # the dispatcher's rule: evidence about basing, not about the optimiser of sorties


def _incidents(casualties: list[Casualty]) -> list[list[Casualty]]:
    groups: dict[str, list[Casualty]] = {}
    for c in casualties:
        groups.setdefault(c.incident or c.id, []).append(c)
    return list(groups.values())


def _landings(groups: list[list[Casualty]], scenario: Scenario) -> list[tuple[list[Casualty], int]]:
    """Every (incident, whole-day shift) that puts the incident inside the scenario's period at its
    own time of day: what a draw picks from, so each time of day comes as often as the period has it."""
    out = []
    for group in groups:
        at = group[0].injured_at
        first, end = math.ceil((scenario.start - at) / DAY), math.ceil((scenario.end - at) / DAY)
        out += [(group, d) for d in range(first, end)]
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    """Arrivals of a unit-rate Poisson process before `mean` (stable for any mean)."""
    count, t = 0, rng.expovariate(1.0)
    while t < mean:
        count, t = count + 1, t + rng.expovariate(1.0)
    return count


def bootstrap(landings: list[tuple[list[Casualty], int]], count: int, scenario: Scenario, rng: random.Random,
              prefix: str) -> list[Casualty]:
    """`count` landings drawn with replacement, each incident moved by its whole days and jittered ≤ 1 h."""
    out = []
    for n in range(count if landings else 0):
        group, days = rng.choice(landings)
        shift = timedelta(days=days, minutes=rng.uniform(-60, 60))
        for c in group:
            out.append(c.model_copy(update={"id": f"{prefix}{n}-{c.id}", "incident": f"{prefix}{n}",
                                            "injured_at": c.injured_at + shift,
                                            "reported_at": c.reported_at + shift}))
    return [c for c in out if scenario.start <= c.reported_at < scenario.end]


def resample(scenario: Scenario, seed: int, history: History | None = None) -> list[Casualty]:
    """One seeded draw of the scenario's demand (and the history's, at its rate; see the docstring)."""
    if scenario.arrivals is not None:
        found = scenario_casualties(scenario, seed)
    else:
        groups = _incidents(scenario_casualties(scenario, 0))
        found = bootstrap(_landings(groups, scenario), len(groups), scenario, random.Random(seed), "s")
    if history is not None:  # as many incidents as the history's rate gives in the period, busy or quiet
        landings, rng = _landings(_incidents(history.casualties), scenario), random.Random(f"history-{seed}")
        found += bootstrap(landings, _poisson(rng, len(landings) * 24 / history.hours), scenario, rng, "h")
    return sorted(found, key=lambda c: (c.reported_at, c.id))


@dataclass(frozen=True)
class Job:
    scenario: Scenario
    seed: int
    history: History | None = None  # demand `both`: the mission's history beside the scenario's


class RunOutcome(BaseModel):
    seed: int
    urgent: int
    golden_hour: int
    surgical: int
    surgery_2h: int
    care_minutes: list[float]  # urgent patients served: injury → advanced care
    missed: list[tuple[float, float]]  # where urgent patients missed the golden hour


def outcome(job: Job) -> RunOutcome:
    """Simulate one seeded draw under one laydown (pure: same job, same outcome)."""
    found = resample(job.scenario, job.seed, job.history)
    run = simulate_run(job.scenario, POLICY, found, time_limit_s=1.0)
    facilities = {f.id: f for f in job.scenario.facilities}

    def first(c: Casualty, accept) -> float | None:
        times = [(at - c.injured_at).total_seconds() / 60 for fid, at in run.handovers.get(c.id, [])
                 if accept(facilities[fid])]
        return min(times, default=None)

    urgent = [c for c in found if c.precedence in "AB"]
    care = [first(c, lambda f: "resuscitation" in f.capabilities) for c in urgent]
    cut = [first(c, lambda f: f.operating_tables > 0) for c in urgent if c.precedence == "B"]
    return RunOutcome(
        seed=job.seed, urgent=len(urgent), golden_hour=sum(m is not None and m <= GOLDEN_HOUR_MIN for m in care),
        surgical=len(cut), surgery_2h=sum(m is not None and m <= SURGERY_MIN for m in cut),
        care_minutes=[m for m in care if m is not None],
        missed=[(c.location.lat, c.location.lon) for c, m in zip(urgent, care)
                if m is None or m > GOLDEN_HOUR_MIN],
    )
