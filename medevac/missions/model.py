"""A mission: its time zone, its time standards and how plans are approved."""

import uuid
import zoneinfo
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from medevac.bounds import Standard
from medevac.models import Strict
from medevac.vocabulary import DEFAULT_STANDARDS_MIN

Approval = Literal["manual", "auto"]


class TimeStandards(Strict):
    """Minutes from injury, 1 to a week; defaults are DESIGN.md §1 (UN 10-1-2 and the golden hour)."""

    first_aid: Standard = Field(10, description="first aid (the 10 of 10-1-2)")
    resuscitation: Standard = Field(60, description="A and B at advanced resuscitation")
    A: Standard = Field(DEFAULT_STANDARDS_MIN["A"], description="urgent: at advanced care")
    B: Standard = Field(DEFAULT_STANDARDS_MIN["B"], description="urgent-surgical: at an operating table")
    C: Standard = Field(DEFAULT_STANDARDS_MIN["C"], description="priority")
    D: Standard = Field(DEFAULT_STANDARDS_MIN["D"], description="routine")
    E: Standard = Field(DEFAULT_STANDARDS_MIN["E"], description="convenience")


def _check_zone(value: str | None) -> str | None:
    if value is not None:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


class MissionCreate(Strict):
    id: uuid.UUID | None = Field(None, description="client-supplied id (optional)")
    name: str = Field(min_length=1, max_length=100)
    time_zone: str = Field("UTC", description="IANA zone, e.g. Africa/Bangui")
    time_standards: TimeStandards = Field(default_factory=TimeStandards)
    approval: Approval = "manual"
    max_patients_per_request: int = Field(40, ge=1, le=999, description=(
        "the largest 9-line accepted (line 3 total): more is refused as a likely typing error"))

    _zone = field_validator("time_zone")(_check_zone)


class MissionPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=100)
    time_zone: str | None = None
    time_standards: TimeStandards | None = None
    approval: Approval | None = None
    max_patients_per_request: int | None = Field(None, ge=1, le=999)

    _zone = field_validator("time_zone")(_check_zone)


class Mission(BaseModel):
    id: uuid.UUID
    name: str
    time_zone: str
    time_standards: TimeStandards
    approval: Approval
    max_patients_per_request: int
    created_at: datetime
    updated_at: datetime
    version: int
