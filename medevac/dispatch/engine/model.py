"""The engine's inputs (a snapshot of the situation) and output (a plan), as pydantic models.

Both are plain, serialisable data: the service stores the plan and shows its recommendations.
"""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from medevac.bounds import Instant, Standard
from medevac.dispatch.engine.survival import DEFAULT_SURVIVAL, SurvivalCurve
from medevac.dispatch.scenario import Asset, Casualty, Facility, Location, Precedence

from medevac.vocabulary import DEFAULT_STANDARDS_MIN, GOLDEN_HOUR_MIN, AssetStatus, FacilityStatus


class Patient(Casualty):
    """An open casualty: a 9-line request's patient waiting for pickup."""

    request_id: str = Field(description="the 9-line request (one pickup site) it belongs to")


class AssetState(Asset):
    """An asset and where/when it is next free (None: free now, at its base)."""

    status: AssetStatus = "available"
    free_at: AwareDatetime | None = None
    free_location: Location | None = None
    free_at_facility: str | None = Field(
        default=None, description="facility id where it will be free (refuelled, crew airborne)"
    )


class FacilityState(Facility):
    status: FacilityStatus = "open"
    free_beds: int | None = Field(default=None, ge=0, description="None: all beds free")

    @property
    def beds_left(self) -> int:
        return self.beds if self.free_beds is None else self.free_beds


class Landing(BaseModel):
    location: Location
    at: datetime
    covered: bool = Field(default=False, description="an armed escort is over this landing zone then")


class Underway(BaseModel):
    """A tasked sortie whose aircraft has landings still ahead of it: a call at one of those landing
    zones can ride along (engine/underway.py)."""

    asset_id: str
    landings: list[Landing]
    facility_id: str
    handover_at: datetime
    onboard_litter: int = Field(ge=0)
    onboard_ambulatory: int = Field(ge=0)


class Join(BaseModel):
    """Patients who board an aircraft already tasked to their landing zone, when it lands there."""

    asset_id: str
    patient_ids: list[str]
    pickup: Location
    at_pickup: datetime
    facility_id: str
    handover_at: datetime


class Snapshot(BaseModel):
    """Everything a policy may look at, at one moment (`now`); nothing else is read."""

    model_config = ConfigDict(frozen=True)

    now: Instant
    patients: list[Patient]
    assets: list[AssetState]
    facilities: list[FacilityState]
    road_factor: float = 1.3
    load_min: float = 10
    unload_min: float = 10
    standards_min: dict[Precedence, Standard] = Field(default_factory=lambda: dict(DEFAULT_STANDARDS_MIN))
    survival: dict[Precedence, SurvivalCurve] = Field(
        default_factory=lambda: dict(DEFAULT_SURVIVAL),
        description="lifesaving value against minutes from injury to care, per precedence (engine/survival.py)")
    underway: list[Underway] = Field(default_factory=list, description="tasked sorties not yet at every landing")
    held_out: list[AssetState] = Field(default_factory=list, description=(
        "aircraft kept out of recommendations (tasked anyway for a flight judged impossible): "
        "no plan uses them, but they still count when asking whether any aircraft could reach a patient"))


class PickupStop(BaseModel):
    """A further pickup of a multi-pickup sortie, flown after the first and before the facility."""

    location: Location
    at: datetime
    depart: datetime
    patient_ids: list[str] = Field(description="the patients boarding here")


class RefuelStop(BaseModel):
    """A refuelling landing where one tank does not reach: on the way out to the pickup, or on
    the way in to the facility with the patients aboard."""

    facility_id: str
    location: Location
    at: datetime
    depart: datetime


class EscortVisit(BaseModel):
    location: Location
    at: datetime
    leave: datetime


class Escort(BaseModel):
    """The armed aircraft over the sortie's Line 6 `X` landing zones: from `start` (through
    `refuel` where one tank does not reach) to each zone (there no later than the carrier, until
    it lifts off), then to `end`: home to its base, or to a refuelling facility when its base is
    beyond its fuel."""

    asset_id: str
    callsign: str
    tasked_at: datetime
    wheels_up: datetime
    start: Location
    visits: list[EscortVisit]
    end: Location
    end_facility_id: str | None = None
    back_at_base: datetime = Field(description="when it lands at `end`")
    distance_km: float
    refuel: RefuelStop | None = None


class Sortie(BaseModel):
    """One asset flight: start → pickup site (→ further pickups) → facility (→ base when the
    facility cannot refuel). `patient_ids` are everyone aboard; those boarding at the first
    pickup are the ones no stop lists."""

    asset_id: str
    tasked_at: datetime
    wheels_up: datetime
    start: Location
    pickup: Location
    at_pickup: datetime
    depart_pickup: datetime
    facility_id: str
    at_facility: datetime
    handover_at: datetime
    returns_to_base_at: datetime | None = None
    patient_ids: list[str]
    distance_km: float
    stops: list[PickupStop] = Field(default_factory=list)
    escort: Escort | None = None
    refuel: RefuelStop | None = None
    refuel_in: RefuelStop | None = Field(default=None, description="a refuelling stop between the last "
                                         "pickup and the facility, the patients aboard")


class Alternative(BaseModel):
    """Another way to serve the request, and why it was not chosen."""

    asset_id: str | None = None
    facility_id: str | None = None
    at_facility: datetime | None = None
    margin_min: float | None = None
    reason: str


class PatientOutcome(BaseModel):
    patient_id: str
    precedence: Precedence
    asset_id: str | None = None
    facility_id: str | None = None
    at_facility: datetime | None = None
    standard_min: int
    margin_min: float | None = Field(default=None, description="standard minus predicted minutes")


class UnreachablePatient(BaseModel):
    """A patient no aircraft of the mission can reach at all (as the simulation result lists them)."""

    patient_id: str
    precedence: Precedence
    reason: str
    nearest_way: str | None = Field(default=None, description="the nearest way that would work, naming the place")


class IdleAircraft(BaseModel):
    """An aircraft the plan leaves idle although it could fly this request sooner than planned, and why."""

    asset_id: str
    callsign: str
    reason: str = Field(description="why it is kept: in reserve for what, or why the plan is better without it")
    wheels_up: datetime = Field(description="when it could be wheels up for this request")
    at_facility: datetime = Field(description="when it would hand the most urgent patient over")
    delay_min: float | None = Field(default=None, description=(
        "minutes the most urgent patient waits longer with it kept idle (negative: the plan is sooner); "
        "None: the plan does not serve that patient at all"))
    survivors_cost: float = Field(description=(
        "expected survivors (engine/survival.py) the plan gives up by keeping it idle; negative: gains"))


class Consolidation(BaseModel):
    """A proposal beside the plan (which stays as it is): the units carry the casualties of these
    requests by ground to one landing zone, where the aircraft lands once for all of them."""

    request_ids: list[str]
    patient_ids: list[str]
    location: Location
    grid: str = Field(description="MGRS of the landing zone (10 m)")
    ground_move_min: float = Field(description="the longest ground move, loading the vehicle included")
    saved_min: float = Field(description="how much sooner the most urgent of them reaches care than planned")
    asset_id: str = Field(description="the aircraft that would land there (the one planned for the most urgent)")
    facility_id: str
    at_facility: datetime
    text: str


class RideAlong(BaseModel):
    """Patients of this request who board an aircraft already tasked to their landing zone
    (`Plan.joins`), as the service shows it: approving adds them to that live evacuation."""

    evacuation_id: str | None = Field(default=None, description="the live evacuation they join")
    asset_id: str
    callsign: str
    facility_id: str
    facility_name: str
    at_pickup: datetime = Field(description="when the aircraft lands at the landing zone")
    handover_at: datetime
    patient_ids: list[str]
    margin_min: float | None = Field(default=None, description="for the most urgent of them")
    summary: str = Field(description="the recommendation in words, for the officer")


class Recommendation(BaseModel):
    """What the dispatcher sees for one 9-line request."""

    request_id: str
    asset_id: str | None = None
    callsign: str | None = None
    escort_asset_id: str | None = Field(default=None, description="the armed escort paired with the carrier")
    escort_callsign: str | None = None
    escort_reason: str | None = Field(default=None, description="why this pair")
    refuel: str | None = Field(default=None, description=(
        "where the carrier lands to refuel, in words: on the way out, or on the way in with the patients aboard"))
    facility_id: str | None = None
    wheels_up: datetime | None = None
    at_pickup: datetime | None = None
    at_facility: datetime | None = None
    margin_min: float | None = Field(
        default=None, description="for the most urgent patient: standard minus predicted minutes"
    )
    on_time: bool = False
    patients: list[PatientOutcome]
    alternatives: list[Alternative] = Field(default_factory=list, max_length=2)
    unservable_in_time: str | None = Field(default=None, description="why no option is in time")
    best_late_option: Alternative | None = None
    unreachable: list[UnreachablePatient] = Field(default_factory=list, description=(
        "patients no aircraft of the mission can reach, with the reason and the nearest way that would work"))
    idle: IdleAircraft | None = Field(default=None, description=(
        "an aircraft left idle although it could fly this request sooner: why, and at what predicted cost"))
    consolidation: Consolidation | None = Field(
        default=None, description="a proposal: carry casualties of nearby requests to one landing zone")
    ride_along: RideAlong | None = Field(default=None, description="patients who ride along with a tasked aircraft")


class Plan(BaseModel):
    policy: str
    now: datetime
    sorties: list[Sortie]
    recommendations: list[Recommendation] = Field(default_factory=list)
    unassigned: dict[str, str] = Field(default_factory=dict, description="patient id → reason")
    fallback: bool = False
    fallback_reason: str | None = None
    candidate: str | None = Field(default=None, description=(
        "optimized: the candidate plan that scored best (closest, greedy, previous, routing, solver)"))
    solve_ms: float = 0.0
    score: float = 0.0
    objective_bound: float | None = None
    joins: list[Join] = Field(default_factory=list, description="patients riding along with a tasked sortie")
