"""The evacuation lifecycle as data: which transitions exist, and what each one does.

    tasked → airborne → at_pickup → loaded → handed_over → complete
       └──────────┴──────────┴── aborted (and reassignment: abort + a new tasking)

Each transition names the timestamp column it sets, the asset status it leaves behind and
what happens to the casualties aboard. Anything not in `TRANSITIONS` is a 409.
"""

from dataclasses import dataclass
from typing import Literal

State = Literal["tasked", "airborne", "at_pickup", "loaded", "handed_over", "complete", "aborted"]
LIVE: tuple[State, ...] = ("tasked", "airborne", "at_pickup", "loaded")
FINAL: tuple[State, ...] = ("complete", "aborted")
# An escort is held while its carrier is on the way to or at the landing zone; it flies home at lift-off.
ESCORTED: tuple[State, ...] = ("tasked", "airborne", "at_pickup")
# Not at the landing zone yet: a later call from there can still ride along.
JOINABLE: tuple[State, ...] = ("tasked", "airborne")


@dataclass(frozen=True)
class Transition:
    source: State
    target: State
    stamp: str  # the column set to the transition time
    asset_status: str  # the asset's status afterwards (only while this evacuation holds it)
    casualties: str | None = None  # casualty status afterwards (those aboard this evacuation)
    releases_beds: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in (
        Transition("tasked", "airborne", "airborne_at", "tasked"),
        Transition("airborne", "at_pickup", "at_pickup_at", "tasked"),
        Transition("at_pickup", "loaded", "loaded_at", "tasked", casualties="onboard"),
        Transition("loaded", "handed_over", "handed_over_at", "returning", casualties="handed_over",
                   releases_beds=True),
        Transition("handed_over", "complete", "completed_at", "available"),
        Transition("tasked", "aborted", "aborted_at", "available", casualties="waiting", releases_beds=True),
        Transition("airborne", "aborted", "aborted_at", "returning", casualties="waiting", releases_beds=True),
        Transition("at_pickup", "aborted", "aborted_at", "returning", casualties="waiting", releases_beds=True),
    )
}
# Reassignment (another asset or facility) is allowed before anyone is aboard.
REASSIGNABLE: tuple[State, ...] = ("tasked", "airborne", "at_pickup")
# The stage timestamps, in order, with the metric stage each one closes.
STAGES: tuple[tuple[str, str], ...] = (
    ("tasked_at", "tasked"), ("airborne_at", "airborne"), ("at_pickup_at", "pickup"),
    ("handed_over_at", "handover"),
)


def allowed_from(state: str) -> list[str]:
    return [target for (source, target) in TRANSITIONS if source == state]


def transition(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))
