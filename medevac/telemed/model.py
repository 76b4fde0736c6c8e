"""Telemedicine models: specialists and their rosters, consults, offers and policy."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from medevac.bounds import Instant
from medevac.models import ListQuery, Strict
from medevac.vocabulary import Precedence

Urgency = Literal["emergency", "urgent", "routine"]
URGENCIES: tuple[str, ...] = ("emergency", "urgent", "routine")
WindowKind = Literal["on_call", "available", "unavailable"]
ConsultStatus = Literal["unmatched", "offered", "broadcast", "accepted", "closed", "cancelled"]
# Waiting for a specialist to take it: the consults an answer target is counted against.
AWAITING: tuple[str, ...] = ("unmatched", "offered", "broadcast")
Outcome = Literal["advice_given", "evacuation_recommended", "referred", "no_action_needed"]
Specialty = Literal[
    "trauma_surgery", "orthopaedics", "neurosurgery", "internal_medicine", "paediatrics",
    "obstetrics", "mental_health", "radiology", "infectious_disease", "burns", "anaesthesia",
    "ophthalmology", "dermatology", "cardiology",
]


class WindowCreate(Strict):
    kind: WindowKind = "on_call"
    starts_at: Instant
    ends_at: Instant
    note: str | None = Field(None, max_length=500)

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("starts_at")  # absent when the start itself was refused
        if start is not None and value <= start:
            raise PydanticCustomError("window_order", "the end must be after the start")
        return value


class Window(BaseModel):
    id: uuid.UUID
    kind: WindowKind
    starts_at: datetime
    ends_at: datetime
    note: str | None = None


class SpecialistCreate(Strict):
    id: uuid.UUID | None = Field(None, description="client-supplied id (optional)")
    mission_id: uuid.UUID | None = Field(None, description="home mission (default: the token's)")
    user_id: str = Field(min_length=1, max_length=100, description="the user who answers offers")
    name: str = Field(min_length=1, max_length=200)
    specialty: Specialty
    facility_id: uuid.UUID | None = None
    languages: list[str] = Field(default_factory=list, max_length=10)
    serves_missions: list[uuid.UUID] = Field(default_factory=list, max_length=20,
                                             description="other missions whose consults it answers")
    load_limit: int = Field(2, ge=1, le=20, description="consults at once")
    windows: list[WindowCreate] = Field(default_factory=list, max_length=200)


class SpecialistPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    languages: list[str] | None = Field(None, max_length=10)
    serves_missions: list[uuid.UUID] | None = Field(None, max_length=20)
    load_limit: int | None = Field(None, ge=1, le=20)


class Specialist(BaseModel):
    id: uuid.UUID
    mission_id: uuid.UUID
    user_id: str
    name: str
    specialty: str
    facility_id: uuid.UUID | None
    languages: list[str]
    serves_missions: list[uuid.UUID]
    load_limit: int
    load: int = 0
    online: bool = False
    windows: list[Window] = Field(default_factory=list)
    version: int


class SpecialistQuery(ListQuery):
    specialty: Specialty | None = None


class MistAt(Strict):
    """The handover summary: Mechanism, Injuries, Signs, Treatment, Age, Time of injury."""

    mechanism: str = Field(min_length=1, max_length=2000)
    injuries: str = Field("", max_length=4000)
    signs: str = Field("", max_length=4000, description="vital signs and observations")
    treatment: str = Field("", max_length=4000)
    age: str | None = Field(None, max_length=40, description="years, or a band such as 20-30")
    time_of_injury: Instant | None = None


class ConsultCreate(Strict):
    id: uuid.UUID | None = Field(None, description="client-supplied id (optional)")
    mission_id: uuid.UUID | None = Field(None, description="default: the token's mission")
    specialty: Specialty
    urgency: Urgency
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}$", description="preferred language (ISO 639)")
    question: str = Field(min_length=1, max_length=4000)
    summary: MistAt
    casualty_ref: str | None = Field(None, max_length=100, description="casualty id or battle roster number")
    evacuation_request_id: uuid.UUID | None = None


class Consult(BaseModel):
    id: uuid.UUID
    mission_id: uuid.UUID
    requested_by: str
    specialty: str
    urgency: Urgency
    language: str | None
    question: str
    summary: dict
    casualty_ref: str | None
    evacuation_request_id: uuid.UUID | None
    status: ConsultStatus
    specialist_id: uuid.UUID | None
    ranking: dict
    answer_due_at: datetime
    created_at: datetime
    first_offer_at: datetime | None
    broadcast_at: datetime | None
    accepted_at: datetime | None
    first_specialist_message_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    outcome: Outcome | None
    outcome_note: str | None
    last_seq: int
    version: int

    def public(self) -> dict:
        """What may travel in events every mission member reads: no patient details."""
        return {"id": str(self.id), "status": self.status, "urgency": self.urgency,
                "specialty": self.specialty, "specialist_id": self.specialist_id and str(self.specialist_id)}


class Offer(BaseModel):
    id: uuid.UUID
    consult_id: uuid.UUID
    specialist_id: uuid.UUID
    mode: Literal["single", "broadcast"]
    status: Literal["open", "accepted", "declined", "expired", "withdrawn"]
    offered_at: datetime
    expires_at: datetime | None
    answered_at: datetime | None
    decline_reason: str | None


class ConsultView(Consult):
    offers: list[Offer] = Field(default_factory=list)
    evacuation_draft_id: uuid.UUID | None = None


class ConsultQuery(ListQuery):
    status: ConsultStatus | None = None


class DeclineBody(Strict):
    reason: str | None = Field(None, max_length=500)


class CancelBody(Strict):
    reason: str | None = Field(None, max_length=500)


class EvacuationDraftSpec(Strict):
    precedence: Precedence | None = None
    destination_facility_id: uuid.UUID | None = None
    note: str | None = Field(None, max_length=2000)


class CloseBody(Strict):
    outcome: Outcome
    note: str | None = Field(None, max_length=4000)
    evacuation: EvacuationDraftSpec | None = Field(None, description="with evacuation_recommended")


class SecondsByUrgency(Strict):
    emergency: int = Field(ge=10, le=7 * 86400)
    urgent: int = Field(ge=10, le=7 * 86400)
    routine: int = Field(ge=10, le=30 * 86400)


class Policy(Strict):
    answer_targets: SecondsByUrgency = Field(description="seconds to an accepted answer, by urgency")
    offer_timeouts: SecondsByUrgency = Field(description="seconds an offer waits before moving on")
