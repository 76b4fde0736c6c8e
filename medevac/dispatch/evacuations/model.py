"""An evacuation: one asset tasked to carry a request's casualties to one facility."""

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

from medevac.dispatch.evacuations.machine import LIVE, State, allowed_from
from medevac.models import ListQuery, Strict


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else round((end - start).total_seconds(), 1)


class Warning_(BaseModel):
    code: str
    message: str


class Evacuation(BaseModel):
    id: uuid.UUID
    mission_id: uuid.UUID
    request_id: uuid.UUID
    asset_id: uuid.UUID
    escort_asset_id: uuid.UUID | None = Field(default=None, description="the armed escort over an X pickup")
    facility_id: uuid.UUID
    state: State
    approval: Literal["manual", "auto"]
    approved_by: str
    recommended: bool
    warnings: list[Warning_]
    precedence: str
    asset_kind: str
    beds_reserved: int
    eta_pickup: datetime | None
    eta_facility: datetime | None
    tasked_at: datetime
    airborne_at: datetime | None
    at_pickup_at: datetime | None
    loaded_at: datetime | None
    handed_over_at: datetime | None
    completed_at: datetime | None
    aborted_at: datetime | None
    abort_reason: str | None
    replaced_by: uuid.UUID | None
    updated_at: datetime
    version: int
    called_at: datetime
    injured_at: datetime | None = Field(description="earliest injury among the casualties aboard")
    casualty_ids: list[uuid.UUID]

    @computed_field
    @property
    def allowed_transitions(self) -> list[str]:
        return allowed_from(self.state)

    @computed_field
    @property
    def live(self) -> bool:
        return self.state in LIVE

    @computed_field
    @property
    def elapsed_s(self) -> dict[str, float | None]:
        """Time to each stage from the call, and from injury to care (the handover)."""
        return {
            "call_to_tasked": _seconds(self.called_at, self.tasked_at),
            "call_to_airborne": _seconds(self.called_at, self.airborne_at),
            "call_to_pickup": _seconds(self.called_at, self.at_pickup_at),
            "call_to_handover": _seconds(self.called_at, self.handed_over_at),
            "injury_to_care": _seconds(self.injured_at, self.handed_over_at),
        }


class Choice(Strict):
    asset_id: uuid.UUID
    facility_id: uuid.UUID


class Shown(Strict):
    """One group of the recommendation as the console showed it: an aircraft, where it goes, whom it takes
    (the ride along too: its aircraft, facility and patients add them to that live evacuation)."""

    asset_id: uuid.UUID
    facility_id: uuid.UUID
    casualty_ids: list[uuid.UUID] = Field(min_length=1, max_length=999)


class Approval(Strict):
    """Approve the current recommendation (empty body) or choose another asset and facility."""

    asset_id: uuid.UUID | None = None
    facility_id: uuid.UUID | None = None
    accept_warnings: bool = Field(False, description="task even though the choice drew warnings")
    without_escort: bool = Field(False, description=(
        "line 6 X with an unarmed aircraft of your choice: fly it without an armed escort (audited); "
        "otherwise the escort that keeps it waiting least is tasked with it, or the choice is refused"))
    shown: Shown | None = Field(None, description=(
        "approve this group of the recommendation, exactly as shown: 409 `recommendation_changed` "
        "when the current plan differs (nothing is tasked)"))


class TransitionRequest(Strict):
    to: State
    reason: str | None = Field(None, max_length=500, description="required to abort")


class Reassignment(Strict):
    asset_id: uuid.UUID
    facility_id: uuid.UUID
    accept_warnings: bool = False
    without_escort: bool = Field(False, description=(
        "line 6 X with an unarmed aircraft of your choice: fly it without an armed escort (audited); "
        "otherwise the escort that keeps it waiting least is tasked with it, or the choice is refused"))
    reason: str = Field("reassigned", max_length=500)


class EvacuationQuery(ListQuery):
    state: State | None = None
    request: uuid.UUID | None = None


class Inbound(BaseModel):
    evacuation_id: uuid.UUID
    request_id: uuid.UUID
    state: State
    asset_id: uuid.UUID
    callsign: str
    asset_kind: str
    eta_facility: datetime | None
    eta_estimated: bool = Field(False, description="no planned ETA (a tasking the engine could not plan): "
                                                   "estimated from the aircraft's position, straight there")
    beds_reserved: int
    casualties: list[dict[str, Any]]


class InboundBoard(BaseModel):
    facility_id: uuid.UUID
    usable_beds: int
    beds_reserved: int
    inbound: list[Inbound]
    notes_withheld: bool = Field(False, description="MIST-AT notes exist for the handover but this role may not see them")
