"""Scenario files (DESIGN.md §4): the mission laydown plus casualties, explicit or generated.

The pydantic models below *are* the schema (`medevac schema scenario`). Keys starting with `_`
are provenance notes and are dropped before validation; any other unknown key is an error, so a
typo in a field name never passes silently.
"""

from datetime import datetime, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medevac.bounds import Instant

from medevac.vocabulary import PRECEDENCES, PatientType, Precedence, Security, SpecialEquipment
AssetKind = Literal["helicopter", "fixed_wing", "ground"]
AssetRole = Literal["medevac", "casevac"]


class ScenarioModel(BaseModel):
    """Base: frozen, strict about unknown keys, tolerant of `_note` provenance keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_notes(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if not str(k).startswith("_")}
        return value


class Location(ScenarioModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Facility(ScenarioModel):
    id: str
    name: str
    level: int = Field(ge=1, le=4, description="UN Level I-IV")
    location: Location
    capabilities: list[str] = Field(description="e.g. resuscitation, surgery, icu, blood, ct")
    beds: int = Field(ge=0)
    icu_beds: int = Field(ge=0)
    operating_tables: int = Field(ge=0)
    helipad: bool
    night_landing: bool
    refuel: bool


class NoticeToMove(ScenarioModel):
    day: int = Field(ge=0, description="minutes from tasking to wheels up by day")
    night: int = Field(ge=0, description="minutes by night (ignored for day-only assets)")


class Asset(ScenarioModel):
    id: str
    callsign: str
    kind: AssetKind
    role: AssetRole = Field(description="medevac carries a medical crew; casevac is plain lift")
    base: Location
    cruise_kmh: float = Field(gt=0)
    range_km: float = Field(gt=0, description="per sortie, without refuelling")
    litters: int = Field(ge=0)
    seats: int = Field(ge=0)
    night_capable: bool
    hoist: bool
    armed: bool
    notice_to_move_min: NoticeToMove


class Casualty(ScenarioModel):
    id: str
    injured_at: Instant
    reported_at: Instant
    location: Location
    precedence: Precedence
    patient_type: PatientType
    needs: list[str] = Field(default_factory=list)
    security: Security = "N"
    special_equipment: SpecialEquipment = "A"
    incident: str | None = Field(
        default=None,
        description="optional incident key; casualties sharing it count from its first call",
    )

    @model_validator(mode="after")
    def _reported_after_injury(self) -> "Casualty":
        if self.reported_at < self.injured_at:
            raise ValueError("reported_at is before injured_at")
        return self


class Hotspot(ScenarioModel):
    """Where casualties happen: uniform within `radius_km` of the point, picked by `weight`."""

    name: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0)
    weight: float = Field(gt=0)


class MinutesRange(ScenarioModel):
    min: float = Field(ge=0)
    max: float = Field(ge=0)


class MassCasualty(ScenarioModel):
    """Bursts: each hour one starts with `probability_per_hour` at a hotspot, `size_min`..`size_max`
    casualties, reported over `spread_min` minutes, precedences drawn from `precedence_mix`."""

    probability_per_hour: float = Field(ge=0, le=1)
    size_min: int = Field(ge=1)
    size_max: int = Field(ge=1)
    spread_min: float = Field(default=20, ge=0)
    precedence_mix: dict[Precedence, float] = Field(
        default_factory=lambda: {"A": 0.25, "B": 0.25, "C": 0.3, "D": 0.2}
    )
    security: Security = "P"


class Arrivals(ScenarioModel):
    """Seeded generator of single-casualty requests (a Poisson stream) and mass-casualty bursts.

    `rate_per_hour` is the daytime rate; at night (sun below civil twilight at the hotspot) it is
    multiplied by `night_factor`. Each casualty draws a hotspot by weight, a point within its
    radius, a precedence from `precedence_mix`, litter with `litter_share` (A and B always litter),
    and a report delay after injury uniform in `report_delay_min`.
    """

    rate_per_hour: float = Field(ge=0)
    precedence_mix: dict[Precedence, float]
    litter_share: float = Field(default=0.6, ge=0, le=1)
    hotspots: list[Hotspot] = Field(min_length=1)
    night_factor: float = Field(default=1.0, ge=0)
    report_delay_min: MinutesRange = MinutesRange(min=5, max=20)
    security_mix: dict[Security, float] = Field(default_factory=lambda: {"N": 0.6, "P": 0.4})
    mass_casualty: MassCasualty | None = None


class ScriptedEvent(ScenarioModel):
    """Extension: a mass-casualty incident at a fixed time and place (counts by precedence;
    `dead` are recorded but need no evacuation)."""

    at: Instant
    name: str = ""
    location: Location
    security: Security = "P"
    casualties: dict[Literal["A", "B", "C", "D", "E", "dead"], int]
    report_delay_min: float = Field(default=10, ge=0)


class Scenario(ScenarioModel):
    name: str
    start: Instant
    duration_hours: float = Field(gt=0)
    facilities: list[Facility] = Field(min_length=1)
    assets: list[Asset] = Field(min_length=1)
    road_factor: float = Field(default=1.3, ge=1)
    load_min: float = Field(default=10, ge=0)
    unload_min: float = Field(default=10, ge=0)
    casualties: list[Casualty] = Field(default_factory=list)
    arrivals: Arrivals | None = None
    scripted_events: list[ScriptedEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ids_unique(self) -> "Scenario":
        for label, ids in (
            ("facility", [f.id for f in self.facilities]),
            ("asset", [a.id for a in self.assets]),
            ("casualty", [c.id for c in self.casualties]),
        ):
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate {label} id")
        return self

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=self.duration_hours)


def load_scenario(path: str) -> Scenario:
    """Read and validate a scenario file."""
    with open(path, encoding="utf-8") as handle:
        return Scenario.model_validate_json(handle.read())


def shipped_scenarios() -> Traversable:
    """The folder of scenario files shipped in the package (`medevac/scenarios/*.json`)."""
    return resources.files("medevac") / "scenarios"


def scenario_schema() -> dict[str, Any]:
    return Scenario.model_json_schema()
