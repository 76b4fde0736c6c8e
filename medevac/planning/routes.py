"""`/v1/planning/basing`: start a basing plan in the background, then read its progress and result."""

import json
import uuid

from pydantic import BaseModel, Field

from medevac.dispatch.scenario import Scenario
from medevac.errors import invalid, not_found
from medevac.events import record_change
from medevac.planning import store
from medevac.planning.demand import scenario_demand
from medevac.planning.problem import BasingRequest, ProblemError, build_problem
from medevac.planning.runner import runner_ctx, runner_key
from medevac.web import Call, RouteTable


class PlanningRoutes(RouteTable):
    """The planning operations, bringing the worker pool they need (one registration in app.py)."""

    def install(self, app) -> None:
        super().install(app)
        app.cleanup_ctx.append(runner_ctx)


routes = PlanningRoutes("planning")
PLANNERS = frozenset({"admin", "observer"})


class BasingJobCreate(BaseModel):
    mission_id: uuid.UUID | None = None
    scenario: Scenario
    request: BasingRequest = Field(default_factory=BasingRequest)


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


@routes.post("/v1/planning/basing", summary="Start a basing plan (runs in the background)", roles=PLANNERS,
             body=BasingJobCreate, response=BasingJob, status=202, idempotent=True)
async def start_basing(call: Call) -> BasingJob:
    body: BasingJobCreate = call.body
    mission_id = call.mission_for_create(body.mission_id)
    try:  # name the bad field now, not minutes later in the job
        build_problem(body.scenario, scenario_demand(body.scenario), body.request)
    except ProblemError as error:
        raise invalid(f"request.{error.field}", str(error)) from None
    runner = call.request.app[runner_key]
    runner.admit()
    row = await store.create(call.conn, mission_id, body.model_dump(mode="json"), call.principal.user)
    await record_change(call.conn, call.principal, event="basing_job.created", entity="basing_job",
                        entity_id=row["id"], mission_id=mission_id, after={"runs": body.request.runs})
    runner.submit(row["id"], body.scenario, body.request)
    return _job(row)


@routes.get("/v1/planning/basing/{job_id}", summary="Read a basing plan's progress and result",
            roles=PLANNERS, response=BasingJob)
async def get_basing(call: Call) -> BasingJob:
    job_id = call.uuid_param("job_id", "basing job")
    row = await store.get(call.conn, job_id)
    if row is None:
        raise not_found("basing job", job_id)
    call.principal.require_mission(row["mission_id"])
    return _job(row)
