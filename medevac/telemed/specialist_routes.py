"""`/v1/specialists`: the specialist registry, on-call rosters and overrides; `/v1/telemed/policy`."""

import uuid

from aiohttp import web
from pydantic import Field

from medevac import scope
from medevac.auth import ROLES
from medevac.http.concurrency import check_version, expected_version
from medevac.errors import forbidden, not_found
from medevac.events import record_change
from medevac.keys import settings_key
from medevac.models import Page, Strict
from medevac.telemed import policy, specialists
from medevac.telemed.model import (Policy, Specialist, SpecialistCreate, SpecialistPatch, SpecialistQuery, Window,
                                   WindowCreate)
from medevac.http.web import Call, RouteTable, versioned

routes = RouteTable("specialists")
EVERYONE = frozenset(ROLES)
ROSTER_KEEPERS = frozenset({"admin", "dispatcher"})


class PolicyQuery(Strict):
    mission: uuid.UUID | None = Field(None, description="mission (default: the token's)")


async def visible_specialist(call: Call, *, for_update: bool = False) -> Specialist:
    specialist_id = call.uuid_param("specialist_id", "specialist")
    found = await specialists.get(call.conn, specialist_id, for_update=for_update)
    if found is None or not any(call.principal.can_see(m) for m in [found.mission_id, *found.serves_missions]):
        raise not_found("specialist", specialist_id)
    return found


async def rostered_specialist(call: Call) -> Specialist:
    """A specialist whose roster the caller may change: a roster keeper of its mission, or itself."""
    found = await visible_specialist(call, for_update=True)
    own = call.principal.role == "specialist" and call.principal.user == found.user_id
    if not own and not (call.principal.role in ROSTER_KEEPERS and call.principal.can_see(found.mission_id)):
        raise forbidden("only the specialist or its mission's admin/dispatcher may change this roster")
    return found


def _audit(call: Call, event: str, found: Specialist, before=None, after=None, *, also: Specialist | None = None):
    """Under the home mission and every mission the specialist serves (before and after the change)."""
    missions = [found.mission_id, *found.serves_missions, *(also.serves_missions if also else ())]
    return scope.record_linked_change(call.conn, call.principal, missions, event=event, entity="specialist",
                                      entity_id=found.id, before=before, after=after)


@routes.post("/v1/specialists", summary="Register a specialist with an on-call roster", roles=ROSTER_KEEPERS,
             body=SpecialistCreate, response=Specialist, status=201, idempotent=True)
async def create_specialist(call: Call) -> web.Response:
    mission_id = call.mission_for_create(call.body.mission_id)
    await scope.require_links(call.conn, call.principal, call.body.serves_missions, "serves_missions")
    await scope.require_facility(call.conn, call.body.facility_id, "facility_id",
                                 missions=[mission_id, *call.body.serves_missions])
    created = await specialists.create(call.conn, mission_id, call.body)
    await _audit(call, "specialist.created", created, after=created.model_dump(mode="json", exclude={"online"}))
    return versioned(created, 201)


@routes.get("/v1/specialists", summary="List specialists answering for a mission (filter by specialty)",
            roles=EVERYONE, query=SpecialistQuery, response=Page[Specialist])
async def list_specialists(call: Call) -> Page[Specialist]:
    return await call.page(specialists.list_for, specialty=call.query.specialty)


@routes.get("/v1/specialists/{specialist_id}", summary="Read a specialist with roster, load and presence",
            roles=EVERYONE, response=Specialist)
async def get_specialist(call: Call) -> web.Response:
    return versioned(await visible_specialist(call))


@routes.patch("/v1/specialists/{specialist_id}", summary="Change languages, missions served or load limit",
              roles=ROSTER_KEEPERS, body=SpecialistPatch, response=Specialist)
async def patch_specialist(call: Call) -> web.Response:
    current = await rostered_specialist(call)
    check_version(current.version, expected_version(call.request, None, required=False),
                  state=current.model_dump(mode="json"))
    if call.body.serves_missions is not None:  # links added or removed are checked; those kept stay
        await scope.require_links(call.conn, call.principal, call.body.serves_missions, "serves_missions",
                                  current=current.serves_missions)
    updated = await specialists.update(call.conn, current, call.body.model_dump(exclude_unset=True, exclude_none=True))
    await _audit(call, "specialist.updated", current, before=current.model_dump(mode="json", exclude={"online"}),
                 after=updated.model_dump(mode="json", exclude={"online"}), also=updated)
    return versioned(updated)


@routes.post("/v1/specialists/{specialist_id}/windows", summary="Add an on-call shift or a one-off override",
             roles=frozenset({"admin", "dispatcher", "specialist"}), body=WindowCreate, response=Window, status=201)
async def add_window(call: Call) -> Window:
    found = await rostered_specialist(call)
    window = await specialists.add_window(call.conn, found.id, call.body)
    await _audit(call, "specialist.window_added", found, after=window.model_dump(mode="json"))
    return window


@routes.delete("/v1/specialists/{specialist_id}/windows/{window_id}", summary="Remove a shift or override",
               roles=frozenset({"admin", "dispatcher", "specialist"}), status=204)
async def delete_window(call: Call) -> None:
    found = await rostered_specialist(call)
    window_id = call.uuid_param("window_id", "window")
    if not await specialists.delete_window(call.conn, found.id, window_id):
        raise not_found("window", window_id)
    await _audit(call, "specialist.window_removed", found, before={"window_id": str(window_id)})


@routes.get("/v1/telemed/policy", summary="A mission's consult answer targets and offer timeouts",
            roles=EVERYONE, query=PolicyQuery, response=Policy)
async def get_policy(call: Call) -> Policy:
    mission_id = call.mission_for_create(call.query.mission)
    return await policy.get(call.conn, mission_id, call.request.app[settings_key])


@routes.route("PUT", "/v1/telemed/policy", summary="Set a mission's answer targets and offer timeouts (seconds)",
             roles=frozenset({"admin"}), query=PolicyQuery, body=Policy, response=Policy)
async def put_policy(call: Call) -> Policy:
    mission_id = call.mission_for_create(call.query.mission)
    before = await policy.get(call.conn, mission_id, call.request.app[settings_key])
    saved = await policy.put(call.conn, mission_id, call.body)
    await record_change(call.conn, call.principal, event="telemed_policy.updated", entity="telemed_policy",
                        entity_id=mission_id, mission_id=mission_id, before=before.model_dump(),
                        after=saved.model_dump())
    return saved
