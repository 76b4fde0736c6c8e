"""A mission's history as demand: its evacuation requests in a window, as the simulator's casualties.

Each request is one incident (its patients share the request id), so a burst in the log stays a
burst when the evidence bootstraps it. `compose` says what a plan's demand is made of: the scenario
alone, the history alone (simulated over its own window, at its real times), or both (the history
folded into the scenario's period at its observed rate).
"""

from datetime import datetime, time, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel

from medevac.dispatch.scenario import Casualty, Scenario
from medevac.basing.demand import Incident, from_casualties
from medevac.basing.problem import ProblemError

DemandSource = Literal["scenario", "history", "both"]
DAY = timedelta(days=1)
# A 9-line comes minutes after an injury; one entered hours later was logged after the fact, and
# its call time says nothing about how long the next casualty will wait for a call.
CALL_DELAY_MAX = timedelta(hours=6)
DEFAULT_CALL_DELAY = timedelta(minutes=15)


class History(BaseModel):
    since: AwareDatetime  # the window on injury times, [since, until)
    until: AwareDatetime
    casualties: list[Casualty]  # `incident` = the request's id

    @property
    def hours(self) -> float:
        return (self.until - self.since).total_seconds() / 3600

    @property
    def requests(self) -> int:
        return len({c.incident for c in self.casualties})

    def incidents(self, scale: float = 1.0) -> list[Incident]:
        """One incident per casualty, each weighing `scale` (the share of the window it stands for)."""
        return [i.model_copy(update={"weight": scale}) for i in from_casualties(self.casualties)]

    def as_scenario(self, scenario: Scenario) -> Scenario:
        """The scenario's theatre with the history as its only demand, over the history's window."""
        end = max([self.until] + [c.reported_at + timedelta(minutes=1) for c in self.casualties])
        return scenario.model_copy(update={
            "start": self.since, "duration_hours": (end - self.since).total_seconds() / 3600,
            "casualties": self.casualties, "arrivals": None, "scripted_events": []})


def _midnight(at: datetime) -> datetime:
    return datetime.combine(at.date(), time(), at.tzinfo)


def _called_in(casualties: list[Casualty]) -> list[Casualty]:
    """Requests logged after the fact (call long after the injury) get the usual call delay instead."""
    delays = sorted(c.reported_at - c.injured_at for c in casualties)
    credible = [d for d in delays if d <= CALL_DELAY_MAX]
    usual = credible[len(credible) // 2] if credible else DEFAULT_CALL_DELAY
    return [c if c.reported_at - c.injured_at <= CALL_DELAY_MAX
            else c.model_copy(update={"reported_at": c.injured_at + usual}) for c in casualties]


def history(casualties: list[Casualty], since: datetime | None, until: datetime | None) -> History | None:
    """The window as asked, or whole days around what was found (None: no casualties in it)."""
    if not casualties:
        return None
    casualties = _called_in(casualties)
    start = since or _midnight(min(c.injured_at for c in casualties))
    end = until or _midnight(max(c.reported_at for c in casualties)) + DAY
    return History(since=start, until=end, casualties=casualties)


def check_window(demand: DemandSource, since: datetime | None, until: datetime | None) -> None:
    """A window belongs to history demand and must be a forward span."""
    if demand == "scenario":
        for name, value in (("since", since), ("until", until)):
            if value is not None:
                raise ProblemError(name, "a window applies to demand 'history' or 'both' only")
    elif since is not None and until is not None and since >= until:
        raise ProblemError("until", "must be after since")


def no_history(since: datetime | None, until: datetime | None) -> ProblemError:
    """The error for history demand that found no requests, naming the input to change."""
    if since is None and until is None:
        return ProblemError("demand", "the mission has no evacuation requests to plan from")
    window = f"between {since.isoformat() if since else 'the start'} and {until.isoformat() if until else 'now'}"
    return ProblemError("since" if since else "until", f"the mission has no evacuation requests {window}")


def compose(scenario: Scenario, demand: DemandSource, found: History | None) -> tuple[Scenario, History | None]:
    """The scenario to simulate and the history to add to it (only for `both`)."""
    if demand == "scenario":
        return scenario, None
    if found is None:
        raise no_history(None, None)
    if demand == "history":
        return found.as_scenario(scenario), None
    return scenario, found
