"""`/v1/planning/basing`: start a basing plan in the background, then read its progress and result."""

import asyncio
import json
import uuid
from importlib.resources.abc import Traversable

import structlog
from pydantic import BaseModel, Field

from medevac.bounds import Instant
from medevac.dispatch.scenario import Scenario, shipped_scenarios
from medevac.errors import forbidden, not_found
from medevac.events import record_change
from medevac.keys import settings_key
from medevac.basing import store
from medevac.basing.history import DemandSource, History, check_window, compose, no_history
from medevac.basing.problem import BasingRequest, ProblemError, build_problem
from medevac.basing.runner import runner_key
from medevac.http.web import Call, RouteTable


log = structlog.get_logger()
routes = RouteTable("planning")
PLANNERS = frozenset({"admin", "observer"})


class BasingJobCreate(BaseModel):
    mission_id: uuid.UUID | None = None
    scenario: Scenario = Field(description="the theatre (facilities, assets: today's laydown) and its demand")
    request: BasingRequest = Field(default_factory=BasingRequest)
    demand: DemandSource = Field(default="scenario", description="plan for the scenario's casualties and "
                                 "hotspots, the mission's evacuation requests (`history`), or `both`")
    since: Instant | None = Field(default=None, description="history window: injuries from (inclusive)")
    until: Instant | None = Field(default=None, description="history window: injuries before")


class BasingJob(BaseModel):
    id: uuid.UUID
    mission_id: uuid.UUID
    status: str
    stage: str
    progress: float
    result: dict | None = Field(default=None, description="BasingResult: laydowns, moves, coverage per "
                                "demand point (current vs proposed) and the simulated evidence")
    error: str | None = None


def _job(row) -> BasingJob:
    result = row["result"]
    return BasingJob(**{**dict(row), "result": json.loads(result) if isinstance(result, str) else result})


@routes.post("/v1/planning/basing", summary="Start a basing plan (runs in the background; admin, or observer with the planning right)", roles=PLANNERS,
             body=BasingJobCreate, response=BasingJob, status=202, idempotent=True)
async def start_basing(call: Call) -> BasingJob:
    body: BasingJobCreate = call.body
    if call.principal.role != "admin" and "planning" not in call.principal.rights:
        raise forbidden("starting a basing plan needs the planning right "
                        "(medevac token create --role observer --right planning)")
    mission_id = call.mission_for_create(body.mission_id)
    history = await _history(call, mission_id, body)
    try:  # name the bad field now, not minutes later in the job
        build_problem(compose(body.scenario, body.demand, history)[0], [], body.request)
    except ProblemError as error:
        raise error.under("request") from None
    runner = call.request.app[runner_key]
    runner.admit()
    row = await store.create(call.conn, mission_id, body.model_dump(mode="json"), call.principal.user)
    await record_change(call.conn, call.principal, event="basing_job.created", entity="basing_job",
                        entity_id=row["id"], mission_id=mission_id,
                        after={"runs": body.request.runs, "demand": body.demand})
    runner.submit(row["id"], body.scenario, body.request, body.demand, history)
    return _job(row)


async def _history(call: Call, mission_id: uuid.UUID, body: BasingJobCreate) -> History | None:
    check_window(body.demand, body.since, body.until)
    if body.demand == "scenario":
        return None
    found = await store.mission_history(call.conn, mission_id, body.since, body.until)
    if found is None:
        raise no_history(body.since, body.until)
    return found


@routes.get("/v1/planning/basing/{job_id}", summary="Read a basing plan's progress and result",
            roles=PLANNERS, response=BasingJob)
async def get_basing(call: Call) -> BasingJob:
    job_id = call.uuid_param("job_id", "basing job")
    row = await store.get(call.conn, job_id)
    if row is None:
        raise not_found("basing job", job_id)
    call.principal.require_mission(row["mission_id"])
    return _job(row)


class ShippedScenario(BaseModel):
    file: str
    name: str
    start: Instant
    duration_hours: float
    facilities: int
    assets: int
    casualties: int
    document: dict = Field(description="the scenario itself, as `POST /v1/planning/basing` takes it")


class ShippedScenarios(BaseModel):
    items: list[ShippedScenario]


def _shipped(folder: Traversable) -> list[ShippedScenario]:
    """The folder's valid scenario files by name; a broken file is logged and left out."""
    if not folder.is_dir():
        log.warning("planning.scenarios_dir_missing", folder=str(folder))
        return []
    out = []
    for path in sorted((p for p in folder.iterdir() if p.name.endswith(".json")), key=lambda p: p.name):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            scenario = Scenario.model_validate(document)
        except (OSError, ValueError) as error:  # bad JSON or not a scenario
            log.warning("planning.scenario_unreadable", file=path.name, error=str(error)[:200])
            continue
        out.append(ShippedScenario(file=path.name, name=scenario.name, start=scenario.start,
                                   duration_hours=scenario.duration_hours, facilities=len(scenario.facilities),
                                   assets=len(scenario.assets), casualties=len(scenario.casualties),
                                   document=document))
    return out


@routes.get("/v1/planning/scenarios", summary="The scenario files a basing plan can start from (MEDEVAC_SCENARIOS_DIR)",
            roles=PLANNERS, response=ShippedScenarios)
async def list_scenarios(call: Call) -> ShippedScenarios:
    folder = call.request.app[settings_key].scenarios_dir or shipped_scenarios()
    return ShippedScenarios(items=await asyncio.to_thread(_shipped, folder))
