"""A 9-line request as stored and shown: its lines, its casualty records and its recommendation."""

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from medevac.bounds import Instant
from medevac.dispatch.nineline import NineLineError, parse_structured, render_text
from medevac.models import LatLon, ListQuery, Strict

from medevac.vocabulary import Marking, PatientType, Precedence, Security
from medevac.vocabulary import SpecialEquipment as Equipment
RequestStatus = Literal["open", "tasked", "handed_over", "cancelled"]
CasualtyStatus = Literal["waiting", "tasked", "onboard", "handed_over"]


class CasualtyIntake(BaseModel):
    precedence: Precedence
    patient_type: PatientType
    needs: list[str] = Field(default_factory=list)
    mist: dict[str, Any] | None = None
    injured_at: datetime | None = None


class Intake(BaseModel):
    """A parsed 9-line, whichever form it came in: what the store writes."""

    pickup: LatLon
    grid: str | None = None
    frequency: str | None = None
    callsign: str | None = None
    special_equipment: list[Equipment] = Field(default_factory=lambda: ["A"])
    security: Security | None = None
    marking: Marking | None = None
    nationality: str | None = None
    terrain: str | None = None
    injured_at: datetime | None = None
    nine_line: dict[str, Any]
    casualties: list[CasualtyIntake] = Field(min_length=1)


LATER_LINES = ("security", "wounds", "marking", "nationality", "nationality_note", "cbrn", "terrain", "mist_at")


class RequestPatch(Strict):
    """Lines 6-9 and MIST-AT notes that follow the first call (structured 9-line fields)."""

    security: Any = Field(None, description="line 6 (US): N, P, E or X")
    wounds: Any = Field(None, description="line 6 (NATO): number and type of wounds")
    marking: Any = Field(None, description="line 7: {method, detail}")
    nationality: Any = Field(None, description="line 8: [{status, count}]")
    nationality_note: Any = None
    cbrn: Any = Field(None, description="line 9 (US): contamination codes")
    terrain: Any = Field(None, description="line 9 (NATO): terrain description")
    mist_at: Any = Field(None, description="MIST-AT notes, one per patient in order")
    injured_at: Instant | None = None
    version: int | None = Field(None, ge=1)


class Casualty(BaseModel):
    id: uuid.UUID
    ordinal: int
    precedence: Precedence
    patient_type: PatientType
    needs: list[str]
    mist: dict[str, Any] | None
    injured_at: datetime | None
    status: CasualtyStatus
    evacuation_id: uuid.UUID | None
    handed_over_at: datetime | None


class EvacRequest(BaseModel):
    id: uuid.UUID
    mission_id: uuid.UUID
    status: RequestStatus
    pickup: LatLon
    grid: str | None
    frequency: str | None
    callsign: str | None
    special_equipment: list[Equipment]
    security: Security | None
    marking: Marking | None
    nationality: str | None
    terrain: str | None
    called_at: datetime
    injured_at: datetime | None
    source: Literal["json", "radio", "cot"]
    raw_text: str | None
    nine_line: dict[str, Any]
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    casualties: list[Casualty] = Field(default_factory=list)
    readback: str | None = Field(
        None, description="the request as the receiving operator reads it back over the net: call-up, "
                          "phonetic alphabet, figures in words, lines 1-5 first")
    recommendation: dict[str, Any] | None = Field(
        None, description="the current plan's recommendation: asset, facility, predicted times, "
                          "margin and ranked alternatives")
    plan_no: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_back(cls, value: Any) -> Any:
        """Rendered once per request read (a model re-validated from a dump keeps its own)."""
        if isinstance(value, dict) and "readback" not in value and isinstance(value.get("nine_line"), dict):
            return {**value, "readback": readback(value["nine_line"])}
        return value

    @property
    def lead_precedence(self) -> str:
        return min(c.precedence for c in self.casualties)


def readback(nine_line: dict[str, Any]) -> str | None:
    """The stored 9-line in the spoken form, for the receiving operator to read back."""
    try:
        return render_text(parse_structured({k: v for k, v in nine_line.items() if v is not None}), spoken=True)
    except NineLineError:  # stored before a rule it now breaks: shown without a read-back
        return None


class RequestQuery(ListQuery):
    status: RequestStatus | None = None
