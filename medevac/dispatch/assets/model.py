"""An evacuation asset: what it is, where it is (and since when), and whether it can go."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from medevac.bounds import Instant
from medevac.models import LatLon, ListQuery, Strict

AssetKind = Literal["helicopter", "fixed_wing", "ground"]
AssetRole = Literal["medevac", "casevac"]
from medevac.vocabulary import AssetStatus


class NoticeToMove(Strict):
    day: int = Field(ge=0, le=24 * 60, description="minutes from tasking to wheels up by day")
    night: int = Field(ge=0, le=24 * 60, description="minutes from tasking to wheels up at night")


class AssetCreate(Strict):
    id: uuid.UUID | None = Field(None, description="client-supplied id (optional)")
    mission_id: uuid.UUID | None = Field(None, description="default: the token's mission")
    callsign: str = Field(min_length=1, max_length=40)
    kind: AssetKind
    role: AssetRole
    model: str | None = Field(None, max_length=60, description="airframe, e.g. Mi-17")
    base: LatLon
    position: LatLon | None = Field(None, description="last known position (default: the base)")
    # At least 1 km/h (a litter carry is ~3): slower, one leg of the coverage grid overflowed the clock.
    cruise_kmh: float = Field(ge=1, le=1000)
    range_km: float = Field(gt=0, le=10_000)
    litters: int = Field(ge=0, le=100)
    seats: int = Field(ge=0, le=200)
    night_capable: bool = False
    hoist: bool = False
    armed: bool = False
    notice_to_move_min: NoticeToMove
    status: AssetStatus = "available"


class AssetPatch(Strict):
    status: AssetStatus | None = None
    position: LatLon | None = None
    position_at: Instant | None = Field(None, description="when the position was fixed (default: now)")
    version: int | None = Field(None, ge=1, description="the version you read (or send If-Match)")


class Position(LatLon):
    at: datetime = Field(description="when this position was reported")


class Asset(BaseModel):
    id: uuid.UUID
    mission_id: uuid.UUID
    callsign: str
    kind: AssetKind
    role: AssetRole
    model: str | None
    base: LatLon
    position: Position
    cruise_kmh: float
    range_km: float
    litters: int
    seats: int
    night_capable: bool
    hoist: bool
    armed: bool
    notice_to_move_min: NoticeToMove
    status: AssetStatus
    status_at: datetime
    created_at: datetime
    version: int


class AssetQuery(ListQuery):
    status: AssetStatus | None = None
    kind: AssetKind | None = None
