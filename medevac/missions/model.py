"""A mission: its time zone, its time standards and how plans are approved."""

import uuid
import zoneinfo
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from medevac.models import Strict
from medevac.vocabulary import DEFAULT_STANDARDS_MIN

Approval = Literal["manual", "auto"]


class TimeStandards(Strict):
    """Minutes from injury; defaults are DESIGN.md §1 (UN 10-1-2 and the golden hour)."""

    first_aid: int = Field(10, ge=1, description="first aid (the 10 of 10-1-2)")
    resuscitation: int = Field(60, ge=1, description="A and B at advanced resuscitation")
    A: int = Field(DEFAULT_STANDARDS_MIN["A"], ge=1, description="urgent: at advanced care")
    B: int = Field(DEFAULT_STANDARDS_MIN["B"], ge=1, description="urgent-surgical: at an operating table")
    C: int = Field(DEFAULT_STANDARDS_MIN["C"], ge=1, description="priority")
    D: int = Field(DEFAULT_STANDARDS_MIN["D"], ge=1, description="routine")
    E: int = Field(DEFAULT_STANDARDS_MIN["E"], ge=1, description="convenience")


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

    _zone = field_validator("time_zone")(_check_zone)


class MissionPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=100)
    time_zone: str | None = None
    time_standards: TimeStandards | None = None
    approval: Approval | None = None

    _zone = field_validator("time_zone")(_check_zone)


class Mission(BaseModel):
    id: uuid.UUID
    name: str
    time_zone: str
    time_standards: TimeStandards
    approval: Approval
    created_at: datetime
    updated_at: datetime
    version: int
