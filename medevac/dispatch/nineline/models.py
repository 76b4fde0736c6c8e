"""The 9-line MEDEVAC request as pydantic models (DESIGN.md §1), and its structured JSON intake.

Line 6 and line 9 have two wordings: US (security at the pickup site; NBC contamination) and
NATO/peacetime (number and type of wounds; terrain description). A request carries one or the
other. Lines 1-5 are required; 6-9 may follow in an update.
"""

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from medevac.bounds import Instant
from medevac.dispatch.nineline.errors import LineProblem, NineLineError
from medevac.grid import GridError, mgrs_to_latlon, normalise_mgrs
from medevac.grid_zone import ZoneMissing, is_zoneless, resolve

from medevac.vocabulary import CATEGORY_CODE, PatientStatus, Precedence, Security, StatusCategory
from medevac.vocabulary import Marking as MarkingMethod
from medevac.vocabulary import SpecialEquipment as Equipment
Contamination = Literal["N", "B", "C", "R"]

# The model field behind each line, for errors in the structured form.
LINE_OF_FIELD = {
    "location": 1, "radio": 2, "precedence": 3, "special_equipment": 4, "patients_by_type": 5,
    "security": 6, "wounds": 6, "marking": 7, "nationality": 8, "nationality_note": 8,
    "cbrn": 9, "terrain": 9,
}
# Validation context key: the places (lat, lon) a mission works from, to place a grid sent
# without its zone.
AREA = "area"


def _collapse(value: str | None) -> str | None:
    """Free text as typed, with runs of whitespace collapsed; blank becomes absent."""
    return " ".join(value.split()) or None if value is not None else None


Text = Annotated[str | None, AfterValidator(_collapse)]
Count = Annotated[int, Field(ge=0, le=999)]


class NineLinePart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PickupLocation(NineLinePart):
    """Line 1: an MGRS grid (lat/lon then follow from it) or lat/lon; 6 decimals is ~0.1 m.

    A grid sent without its zone (`FN 1234 5678`) takes the zone from the mission's area (the
    validation context's `area`) and is marked `zone_assumed`.
    """

    grid: str | None = None
    zone_assumed: bool = False
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    description: Text = None

    @model_validator(mode="before")
    @classmethod
    def _from_grid(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, dict):
            return value
        if all(value.get(k) in (None, "") for k in ("grid", "lat", "lon")):
            raise ValueError("give the pickup as an MGRS grid, or as latitude and longitude")
        if value.get("grid") is None:
            if value.get("zone_assumed"):
                raise ValueError("zone_assumed needs a grid")
            return value
        assumed = bool(value.get("zone_assumed"))
        try:
            grid = str(value["grid"])
            if is_zoneless(grid):
                grid, assumed = resolve(grid, (info.context or {}).get(AREA)), True
            grid = normalise_mgrs(grid)
            lat, lon = mgrs_to_latlon(grid)
        except ZoneMissing:
            raise
        except GridError as error:
            raise ValueError(str(error)) from None
        return {**value, "grid": grid, "zone_assumed": assumed, "lat": lat, "lon": lon}

    @field_validator("lat", "lon")
    @classmethod
    def _round(cls, value: float) -> float:
        return round(value, 6)


class RadioContact(NineLinePart):
    """Line 2: the pickup site's radio frequency and call sign (with suffix)."""

    frequency: Text = None
    call_sign: Text = None

    @model_validator(mode="after")
    def _something_to_call(self) -> "RadioContact":
        if self.frequency is None and self.call_sign is None:
            raise ValueError("give a frequency or a call sign")
        return self


class PatientsByPrecedence(NineLinePart):
    """Line 3: A urgent, B urgent-surgical, C priority, D routine, E convenience."""

    A: Count = 0
    B: Count = 0
    C: Count = 0
    D: Count = 0
    E: Count = 0

    @property
    def total(self) -> int:
        return self.A + self.B + self.C + self.D + self.E


class PatientsByType(NineLinePart):
    """Line 5: litter (L) and ambulatory (A) patients."""

    litter: Count = 0
    ambulatory: Count = 0

    @property
    def total(self) -> int:
        return self.litter + self.ambulatory


class Marking(NineLinePart):
    """Line 7: A panels, B pyrotechnic, C smoke, D none, E other; detail such as the colour."""

    method: MarkingMethod
    detail: Text = None


class StatusGroup(NineLinePart):
    """Line 8: A US/own military, B own civilian, C other military, D other civilian, E detainee;
    `category` keeps the UN mission's own word when the operator used it (UN police -> B)."""

    status: PatientStatus
    category: StatusCategory | None = None

    @model_validator(mode="before")
    @classmethod
    def _code_of_category(cls, value: Any) -> Any:
        if isinstance(value, dict) and value.get("status") is None and value.get("category") in CATEGORY_CODE:
            return {**value, "status": CATEGORY_CODE[value["category"]]}
        return value

    @model_validator(mode="after")
    def _category_fits(self) -> "StatusGroup":
        if self.category is not None and CATEGORY_CODE[self.category] != self.status:
            raise ValueError(f"{self.category.replace('_', ' ')} is status {CATEGORY_CODE[self.category]}, "
                             f"not {self.status}")
        return self
    count: Annotated[int, Field(ge=1, le=999)] | None = None


def _required(value: str) -> str:
    collapsed = _collapse(value)
    if collapsed is None:  # a length constraint after _collapse would meet None: a TypeError, a 500
        raise ValueError("must not be blank")
    return collapsed


class Treatment(NineLinePart):
    given: Annotated[str, AfterValidator(_required)]
    at: Instant | None = None


class MistAt(NineLinePart):
    """Handover notes for one patient: Mechanism, Injuries, Signs, Treatment, Age, Time."""

    patient: Text = None
    mechanism: Text = None
    injuries: Text = None
    signs: Text = None
    vitals: dict[str, str | float] = Field(default_factory=dict)
    treatment: list[Treatment] = Field(default_factory=list)
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    time_of_injury: Instant | None = None


class NineLine(NineLinePart):
    calling_station: Text = None  # from the call-up: "X THIS IS Y" (Y calls X)
    called_station: Text = None
    location: PickupLocation
    radio: RadioContact
    precedence: PatientsByPrecedence
    special_equipment: list[Equipment] = Field(default_factory=lambda: ["A"], description="empty: A, none")
    patients_by_type: PatientsByType
    security: Security | None = None
    wounds: Text = None
    marking: Marking | None = None
    nationality: list[StatusGroup] = Field(default_factory=list)
    nationality_note: Text = None
    cbrn: list[Contamination] | None = None  # [] reports "none"; None: not yet reported
    terrain: Text = None
    mist_at: list[MistAt] = Field(default_factory=list)

    @field_validator("special_equipment", "cbrn")
    @classmethod
    def _sorted_codes(cls, value: list[str] | None, info) -> list[str] | None:
        if info.field_name == "special_equipment" and not value:
            return ["A"]  # nothing ticked on line 4 is "A, none"
        return sorted(set(value)) if value is not None else None

    @model_validator(mode="after")
    def _lines_agree(self) -> "NineLine":
        # Raised as the domain error itself (not a ValueError) so pydantic passes it through
        # with its line numbers instead of folding it into a model-level validation error.
        problems = consistency_problems(self)
        if problems:
            raise NineLineError(problems)
        return self


def consistency_problems(request: NineLine) -> list[LineProblem]:
    """Rules across fields: counts that must agree, wordings that exclude each other."""
    problems = []
    total = request.precedence.total
    if total == 0:
        problems.append(LineProblem(line=3, field="precedence", message="no patients"))
    elif request.patients_by_type.total != total:
        problems.append(LineProblem(
            line=5, field="patients_by_type",
            message=f"{request.patients_by_type.total} patients by type, {total} by precedence"))
    if "A" in request.special_equipment and len(request.special_equipment) > 1:
        problems.append(LineProblem(line=4, field="special_equipment",
                                    message="'A' (none) together with other equipment"))
    if request.security is not None and request.wounds is not None:
        problems.append(LineProblem(line=6, field="security",
                                    message="both security (US) and wounds (NATO) given"))
    if request.cbrn is not None and request.terrain is not None:
        problems.append(LineProblem(line=9, field="cbrn",
                                    message="both CBRN (US) and terrain (NATO) given"))
    if request.nationality_note is not None and not request.nationality:
        problems.append(LineProblem(line=8, field="nationality",
                                    message="a nationality note without a status (A-E, or e.g. UN military)"))
    counted = sum(group.count or 0 for group in request.nationality)
    if counted > total:
        problems.append(LineProblem(line=8, field="nationality",
                                    message=f"{counted} patients by status, {total} by precedence"))
    if len(request.mist_at) > total:
        problems.append(LineProblem(line=None, field="mist_at",
                                    message=f"{len(request.mist_at)} MIST-AT notes for {total} patients"))
    return problems


def parse_structured(payload: Any, area: list[tuple[float, float]] | None = None) -> NineLine:
    """Validate the structured JSON form; every error names its line.

    `area`: the places the mission works from, to place a grid sent without its zone; without
    it such a grid raises a NineLineError whose `zone_missing` is set.
    """
    try:
        return NineLine.model_validate(payload, context={AREA: area})
    except ValidationError as error:
        details = error.errors()
        missing = any(isinstance(d.get("ctx", {}).get("error"), ZoneMissing) for d in details)
        raise NineLineError([_line_problem(detail) for detail in details], zone_missing=missing) from None


# pydantic's wording, in the words of a medical officer at 3 a.m.
PLAIN = {
    "missing": "missing: please fill it in", "float_parsing": "must be a number", "float_type": "must be a number",
    "int_parsing": "must be a whole number", "int_type": "must be a whole number",
    "int_from_float": "must be a whole number", "string_type": "must be text", "list_type": "must be a list",
    "datetime_parsing": "must be a date and time with its zone, e.g. 2026-12-06T07:12Z",
    "timezone_aware": "give the time zone (e.g. Z)",
}


def _plain(detail: dict[str, Any]) -> str:
    ctx = detail.get("ctx") or {}
    if detail["type"] in PLAIN:
        return PLAIN[detail["type"]]
    if detail["type"] == "greater_than_equal":
        return f"must be {ctx['ge']} or more"
    if detail["type"] == "less_than_equal":
        return f"must be {ctx['le']} or less"
    if detail["type"] == "literal_error":
        return f"must be one of {ctx['expected']}"
    return detail["msg"]


def _line_problem(detail: dict[str, Any]) -> LineProblem:
    path = [str(part) for part in detail["loc"]]
    if detail["type"] == "value_error":
        message = str(detail["ctx"]["error"])
    elif detail["type"] == "extra_forbidden" and path[:1] == ["precedence"]:
        message = f"unknown precedence code {path[-1]!r}"
    elif detail["type"] == "extra_forbidden":
        message = f"unknown field {path[-1]!r}"
    else:
        message = _plain(detail)
    line = LINE_OF_FIELD.get(path[0]) if path else None
    return LineProblem(line=line, field=".".join(path) or "request", message=message)
