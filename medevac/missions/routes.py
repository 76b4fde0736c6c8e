"""`/v1/missions`: created and changed by admins, read by anyone in the mission."""

from aiohttp import web

from medevac.auth import ROLES
from medevac.http.concurrency import check_version, expected_version
from medevac.errors import not_found
from medevac.events import record_change
from medevac.missions import store
from medevac.missions.model import Mission, MissionCreate, MissionPatch
from medevac.models import ListQuery, Page, page_of
from medevac.scope import require_global_admin
from medevac.http.web import Call, RouteTable, versioned

routes = RouteTable("missions")
ADMIN = frozenset({"admin"})
EVERYONE = frozenset(ROLES)


async def visible_mission(call: Call, *, for_update: bool = False) -> Mission:
    mission_id = call.uuid_param("mission_id", "mission")
    call.principal.require_mission(mission_id)
    mission = await store.get(call.conn, mission_id, for_update=for_update)
    if mission is None:
        raise not_found("mission", mission_id)
    return mission


@routes.post("/v1/missions", summary="Create a mission", roles=ADMIN, body=MissionCreate,
             response=Mission, status=201, idempotent=True)
async def create_mission(call: Call) -> web.Response:
    require_global_admin(call.principal, "create missions")
    mission = await store.create(call.conn, call.body)
    await record_change(call.conn, call.principal, event="mission.created", entity="mission",
                        entity_id=mission.id, mission_id=mission.id, after=mission.model_dump(mode="json"))
    return versioned(mission, 201)


@routes.get("/v1/missions", summary="List the missions this token may see", roles=EVERYONE,
            query=ListQuery, response=Page[Mission])
async def list_missions(call: Call) -> Page[Mission]:
    only = call.principal.default_mission(call.query.mission)
    rows = await store.list_visible(call.conn, only, call.query.after_id(), call.query.limit + 1)
    return page_of(rows, call.query.limit)


@routes.get("/v1/missions/{mission_id}", summary="Read a mission", roles=EVERYONE, response=Mission)
async def get_mission(call: Call) -> web.Response:
    return versioned(await visible_mission(call))


@routes.patch("/v1/missions/{mission_id}", summary="Change a mission's settings", roles=ADMIN,
              body=MissionPatch, response=Mission)
async def patch_mission(call: Call) -> web.Response:
    mission = await visible_mission(call, for_update=True)
    check_version(mission.version, expected_version(call.request, None, required=False),
                  state=mission.model_dump(mode="json"))
    changes = call.body.model_dump(exclude_unset=True, exclude_none=True)
    updated = await store.update(call.conn, mission, changes)
    await record_change(call.conn, call.principal, event="mission.updated", entity="mission",
                        entity_id=mission.id, mission_id=mission.id,
                        before=mission.model_dump(mode="json"), after=updated.model_dump(mode="json"))
    return versioned(updated)
