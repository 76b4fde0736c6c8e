"""A medical facility: its Level, what it can do, and how much room it has now."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from medevac.models import LatLon, ListQuery, Strict
from medevac.vocabulary import FacilityStatus

Capability = Literal[
    "resuscitation", "damage_control_surgery", "surgery", "icu", "blood", "lab", "xray", "ct",
    "neurosurgery", "orthopaedics", "burns", "obstetrics", "pediatrics", "internal_medicine",
    "mental_health", "dental", "radiology", "infectious_disease", "ventilator",
]
# Figures whose reporting time is tracked one by one: a bed count from yesterday is a guess.
FIGURES = ("status", "beds", "usable_beds", "icu_beds", "operating_tables", "capabilities")


class FacilityCreate(Strict):
    id: uuid.UUID | None = Field(None, description="client-supplied id (optional)")
    mission_id: uuid.UUID | None = Field(None, description="default: the token's mission")
    name: str = Field(min_length=1, max_length=120)
    level: int = Field(ge=1, le=4, description="UN Level I-III in the mission, IV outside it")
    location: LatLon
    capabilities: list[Capability] = Field(default_factory=list, max_length=30)
    beds: int = Field(ge=0, le=10_000)
    usable_beds: int = Field(ge=0, le=10_000, description="beds free and staffed now")
    icu_beds: int = Field(0, ge=0, le=1000, description="free ICU beds")
    operating_tables: int = Field(0, ge=0, le=100)
    status: FacilityStatus = "open"
    helipad: bool = True
    night_landing: bool = False
    refuel: bool = False

    @model_validator(mode="after")
    def _usable_within_beds(self) -> "FacilityCreate":
        if self.usable_beds > self.beds:
            raise ValueError("usable_beds cannot exceed beds")
        return self


class FacilityPatch(Strict):
    status: FacilityStatus | None = None
    beds: int | None = Field(None, ge=0, le=10_000)
    usable_beds: int | None = Field(None, ge=0, le=10_000)
    icu_beds: int | None = Field(None, ge=0, le=1000)
    operating_tables: int | None = Field(None, ge=0, le=100)
    capabilities: list[Capability] | None = Field(None, max_length=30)
    night_landing: bool | None = None
    version: int | None = Field(None, ge=1, description="the version you read (or send If-Match)")


class Facility(BaseModel):
    id: uuid.UUID
    mission_id: uuid.UUID
    name: str
    level: int
    location: LatLon
    capabilities: list[str]
    beds: int
    usable_beds: int
    icu_beds: int
    operating_tables: int
    status: FacilityStatus
    helipad: bool
    night_landing: bool
    refuel: bool
    figures_updated_at: dict[str, datetime] = Field(description="when each figure was last reported")
    created_at: datetime
    version: int


class FacilityQuery(ListQuery):
    status: FacilityStatus | None = None
    level: int | None = Field(None, ge=1, le=4)
