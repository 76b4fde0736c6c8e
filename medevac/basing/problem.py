"""The basing problem as plain data: candidate bases, movable assets, forward teams, constraints.

`build_problem(scenario, demand, request)` turns a scenario's laydown and the planner's settings
into the problem the optimiser and the brute force both read. `apply(scenario, problem, laydown)`
gives the scenario with assets moved and teams placed, for the simulator.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from medevac.dispatch.engine.rules import is_airfield
from medevac.errors import DomainError, FieldError
from medevac.dispatch.scenario import Asset, Facility, Location, NoticeToMove, Scenario
from medevac.geo import distance_km
from medevac.basing.demand import DemandPoint

SAME_PLACE_KM = 5.0
TeamKind = Literal["amet", "fst"]
# What a forward team adds where it sits: an AMET advanced resuscitation, a forward surgical team
# resuscitation and damage-control surgery (one operating table).
TEAM_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "amet": ("resuscitation",),
    "fst": ("resuscitation", "damage_control_surgery"),
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Airstrip(Strict):
    id: str
    location: Location
    night_operations: bool = False


class ForwardTeam(Strict):
    id: str
    kind: TeamKind
    at: str | None = Field(default=None, description="facility id where it sits now (None: not deployed)")
    fixed: bool = False


class Readiness(Strict):
    notice_to_move_min: NoticeToMove | None = None
    night_capable: bool | None = None


class BasingRequest(Strict):
    """What the planner sets; every field has a safe default."""

    assets: list[str] | None = Field(default=None, description="asset ids the optimiser may move "
                                     "(default: every aircraft); the others stay where they are")
    fixed: list[str] = Field(default_factory=list, description="asset ids that must not move")
    max_assets_per_base: int = Field(default=3, ge=1)
    base_limits: dict[str, int] = Field(default_factory=dict, description="base id → max assets")
    no_night_bases: list[str] = Field(default_factory=list, description="bases without night operations")
    airstrips: list[Airstrip] = Field(default_factory=list)
    teams: list[ForwardTeam] = Field(default_factory=list)
    readiness: dict[str, Readiness] = Field(default_factory=dict, description="asset id → override")
    runs: int = Field(default=20, ge=1, le=200, description="seeded simulator runs per laydown")
    time_limit_s: float = Field(default=10.0, gt=0, le=120)

    @field_validator("base_limits")
    @classmethod
    def _limits_non_negative(cls, value: dict[str, int]) -> dict[str, int]:
        if any(v < 0 for v in value.values()):
            raise ValueError("a base limit is negative")
        return value


class Base(Strict):
    id: str
    location: Location
    facility_id: str | None
    night_operations: bool
    max_assets: int
    helipad: bool
    airfield: bool


class Laydown(Strict):
    bases: dict[str, str] = Field(description="asset id → base id")
    teams: dict[str, str] = Field(default_factory=dict, description="team id → facility id")


class BasingProblem(Strict):
    assets: list[Asset]
    facilities: list[Facility]
    bases: list[Base]
    demand: list[DemandPoint]
    allowed: dict[str, list[str]] = Field(description="asset id → base ids it may stand at")
    teams: list[ForwardTeam]
    team_sites: dict[str, list[str]] = Field(description="team id → facility ids it may sit at")
    current: Laydown
    road_factor: float
    load_min: float
    unload_min: float
    report_delay_min: float


class ProblemError(DomainError, ValueError):
    """A request that names something the scenario lacks; `field` says which input (a 422 naming
    it, once mapped by the middleware)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", [FieldError(field, message)])
        self.field, self.message = field, message
        self.args = (message,)

    def under(self, parent: str) -> "ProblemError":
        """The same error with its field named from `parent` (`teams[0].at` → `request.teams[0].at`)."""
        return ProblemError(f"{parent}.{self.field}", self.message)


def _candidate_bases(scenario: Scenario, request: BasingRequest) -> list[Base]:
    night_off = set(request.no_night_bases)
    out = [Base(id=f.id, location=f.location, facility_id=f.id, helipad=f.helipad, airfield=is_airfield(f),
                night_operations=f.night_landing and f.id not in night_off,
                max_assets=request.base_limits.get(f.id, request.max_assets_per_base))
           for f in scenario.facilities if f.helipad or is_airfield(f)]
    out += [Base(id=s.id, location=s.location, facility_id=None, helipad=True, airfield=True,
                 night_operations=s.night_operations and s.id not in night_off,
                 max_assets=request.base_limits.get(s.id, request.max_assets_per_base))
            for s in request.airstrips]
    return out


def _home(asset: Asset, bases: list[Base]) -> Base | None:
    near = [(distance_km(asset.base.lat, asset.base.lon, b.location.lat, b.location.lon), b.id, b) for b in bases]
    best = min(near, default=None)
    return best[2] if best and best[0] <= SAME_PLACE_KM else None


def _current_bases(scenario: Scenario, bases: list[Base], request: BasingRequest) -> tuple[list[Base], dict]:
    """Each asset's current base: the candidate it stands at, or its own stand (kept as a base)."""
    current = {}
    for asset in scenario.assets:
        home = _home(asset, bases)
        if home is None:
            home = Base(id=f"stand-{asset.id}", location=asset.base, facility_id=None, helipad=True,
                        airfield=True, night_operations=True, max_assets=request.max_assets_per_base)
            bases.append(home)
        current[asset.id] = home.id
    for base in bases:  # today's laydown is always a feasible answer
        standing = sum(1 for b in current.values() if b == base.id)
        if standing > base.max_assets and base.id not in request.base_limits:
            bases[bases.index(base)] = base.model_copy(update={"max_assets": standing})
    return bases, current


def _check_ids(scenario: Scenario, bases: list[Base], request: BasingRequest) -> None:
    assets = {a.id for a in scenario.assets}
    base_ids = {b.id for b in bases}
    facilities = {f.id for f in scenario.facilities}
    for name, ids, known in (("assets", request.assets or [], assets), ("fixed", request.fixed, assets),
                             ("no_night_bases", request.no_night_bases, base_ids)):
        for n, item in enumerate(ids):
            if item not in known:
                raise ProblemError(f"{name}[{n}]", f"unknown id {item!r}")
    for name, keys, known in (("readiness", request.readiness, assets), ("base_limits", request.base_limits, base_ids)):
        for item in keys:
            if item not in known:
                raise ProblemError(f"{name}.{item}", f"unknown id {item!r}")
    for n, team in enumerate(request.teams):
        if team.at is not None and team.at not in facilities:
            raise ProblemError(f"teams[{n}].at", f"unknown facility {team.at!r}")
        if team.fixed and team.at is None:
            raise ProblemError(f"teams[{n}].fixed", "a fixed team needs `at`")


def _ready(asset: Asset, request: BasingRequest) -> Asset:
    override = request.readiness.get(asset.id)
    update: dict = {}
    if override is not None and override.notice_to_move_min is not None:
        update["notice_to_move_min"] = override.notice_to_move_min
    if override is not None and override.night_capable is not None:
        update["night_capable"] = override.night_capable
    return asset.model_copy(update=update)


def _allowed(asset: Asset, home: str, bases: list[Base], request: BasingRequest) -> list[str]:
    movable = asset.kind != "ground" if request.assets is None else asset.id in request.assets
    if not movable or asset.id in request.fixed:
        return [home]
    lands = [b.id for b in bases if (b.airfield if asset.kind == "fixed_wing" else b.helipad)]
    return sorted(set(lands) | {home})


def report_delay(scenario: Scenario) -> float:
    """Mean minutes from injury to the call: the scenario's own casualties, else its generator."""
    if scenario.casualties:
        delays = [(c.reported_at - c.injured_at).total_seconds() / 60 for c in scenario.casualties]
        return sum(delays) / len(delays)
    if scenario.arrivals is not None:
        span = scenario.arrivals.report_delay_min
        return (span.min + max(span.min, span.max)) / 2
    return 10.0


def build_problem(scenario: Scenario, demand: list[DemandPoint], request: BasingRequest) -> BasingProblem:
    bases, current = _current_bases(scenario, _candidate_bases(scenario, request), request)
    _check_ids(scenario, bases, request)
    assets = [_ready(a, request) for a in scenario.assets]
    facility_ids = [f.id for f in scenario.facilities]
    return BasingProblem(
        assets=assets, facilities=scenario.facilities, bases=bases, demand=demand,
        allowed={a.id: _allowed(a, current[a.id], bases, request) for a in assets},
        teams=request.teams,
        team_sites={t.id: [t.at] if t.fixed else facility_ids for t in request.teams},
        current=Laydown(bases=current, teams={t.id: t.at for t in request.teams if t.at is not None}),
        road_factor=scenario.road_factor, load_min=scenario.load_min, unload_min=scenario.unload_min,
        report_delay_min=report_delay(scenario),
    )


def team_facilities(facilities: list[Facility], teams: list[ForwardTeam], placed: dict[str, str]) -> list[Facility]:
    """The facilities with what the placed forward teams add to them."""
    kinds = {t.id: t.kind for t in teams}
    out = []
    for f in facilities:
        adds = {c for tid, at in placed.items() if at == f.id for c in TEAM_CAPABILITIES[kinds[tid]]}
        if not adds:
            out.append(f)
            continue
        tables = max(f.operating_tables, 1) if "damage_control_surgery" in adds else f.operating_tables
        out.append(f.model_copy(update={"capabilities": sorted(set(f.capabilities) | adds),
                                        "operating_tables": tables}))
    return out


def apply(scenario: Scenario, problem: BasingProblem, laydown: Laydown) -> Scenario:
    """The scenario with each asset at its laydown base (and readiness) and the teams placed."""
    where = {b.id: b.location for b in problem.bases}
    assets = [a.model_copy(update={"base": where[laydown.bases[a.id]]}) for a in problem.assets]
    return scenario.model_copy(update={
        "assets": assets, "facilities": team_facilities(scenario.facilities, problem.teams, laydown.teams)})
