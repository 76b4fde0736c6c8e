"""`/v1/evac-requests`: 9-line intake (JSON or radio text), reading with the recommendation, updates."""

from aiohttp import web

from medevac import audit, privacy

from medevac.http import idempotency
from medevac.auth import ROLES
from medevac.http.boards import board_cache_key
from medevac.http.concurrency import check_version, expected_version
from medevac.dispatch.nineline import NineLine, parse_structured
from medevac.dispatch.planning import store as plans
from medevac.dispatch.requests import board, intake, store
from medevac.dispatch.requests.model import LATER_LINES, EvacRequest, RequestPatch, RequestQuery
from medevac.dispatch.requests.submit import submit
from medevac.errors import not_found
from medevac.events import record_change
from medevac.models import Page
from medevac.http.web import Call, RouteTable, versioned

routes = RouteTable("evac-requests")
EVERYONE = frozenset(ROLES)
CALLERS = frozenset({"field", "dispatcher", "admin"})
# What a request row shows changes only with events of these (tasking and the lifecycle move
# its status and its casualties' status).
BOARD_ENTITIES = ("evac_request", "evacuation")


async def visible_request(call: Call, *, for_update: bool = False) -> EvacRequest:
    request_id = call.uuid_param("request_id", "evac request")
    found = await store.get(call.conn, request_id, for_update=for_update)
    if found is None:
        raise not_found("evac request", request_id)
    call.principal.require_mission(found.mission_id)
    return found


async def with_recommendation(call: Call, request: EvacRequest) -> EvacRequest:
    rec, plan_no = await plans.recommendation(call.conn, request.mission_id, request.id)
    return request.model_copy(update={"recommendation": rec, "plan_no": plan_no})


@routes.post("/v1/evac-requests",
             summary="Submit a 9-line: structured JSON, radio text (text/plain) or {\"text\": radio text}",
             roles=CALLERS, response=EvacRequest, status=201,
             raw_body={"application/json": NineLine, "text/plain": str},
             extra_responses={422: "a line is wrong: errors[].field names it, e.g. `line 3.precedence`"})
async def create_request(call: Call) -> web.Response:
    raw, body = await intake.read_body(call.request)
    key = call.request.headers.get("Idempotency-Key")
    if key is not None:
        replay = await idempotency.claim(call.conn, call.principal.user, key, call.request, raw)
        if replay is not None:
            await privacy.replayed(call.conn, call.principal, replay, entity="evac_request", purpose="dispatch")
            return replay
    nine_line, text = await intake.parse_placed(body, lambda: store.mission_area(
        call.conn, call.mission_for_create(intake.envelope_mission(body))))
    mission_id = call.mission_for_create(intake.envelope_mission(body))
    created = await submit(call.conn, call.principal, mission_id, nine_line, injured_at=intake.envelope_time(body),
                           source="radio" if text is not None else "json", raw_text=text)
    [created] = await privacy.shown(call.conn, call.principal, [created], entity="evac_request", purpose="dispatch")
    response = versioned(created, 201)
    if key is not None:
        await idempotency.store(call.conn, call.principal.user, key, response)
    return response


@routes.get("/v1/evac-requests", summary="List 9-line requests (filter by mission and status)",
            roles=EVERYONE, query=RequestQuery, response=Page[EvacRequest])
async def list_requests(call: Call) -> web.Response:
    q = call.query
    mission_id = call.principal.default_mission(q.mission)
    cache = call.request.app[board_cache_key]

    async def build() -> tuple[bytes, list, str]:
        body, reads = await board.page(call.conn, call.principal, cache.fragments, mission_id, status=q.status,
                                       after=q.after_id(), limit=q.limit)
        return body, reads, "dispatch"

    if mission_id is None:  # every mission (admins): built each time, from kept rows
        body, reads, purpose = await build()
        await audit.record_reads(call.conn, call.principal, reads, purpose=purpose)
        return web.json_response(body=body)
    return await cache.serve(call.conn, call.principal, mission_id=mission_id, entities=BOARD_ENTITIES,
                             query=(q.status, q.after_id(), q.limit), build=build)


@routes.get("/v1/evac-requests/{request_id}",
            summary="Read a request with its casualties and the current recommendation (predicted times, "
                    "margin, ranked alternatives)",
            roles=EVERYONE, response=EvacRequest)
async def get_request(call: Call) -> web.Response:
    found = await with_recommendation(call, await visible_request(call))
    [found] = await privacy.shown(call.conn, call.principal, [found], entity="evac_request", purpose="dispatch")
    return versioned(found)


@routes.patch("/v1/evac-requests/{request_id}", summary="Add or correct lines 6-9 and MIST-AT notes",
              roles=CALLERS, body=RequestPatch, response=EvacRequest,
              extra_responses={409: "stale version", 422: "a line is wrong"})
async def patch_request(call: Call) -> web.Response:
    current = await visible_request(call, for_update=True)
    expected = expected_version(call.request, call.body.version, required=False)
    check_version(current.version, expected, state=current.model_dump(mode="json"),
                  shows=privacy.shows([current], entity="evac_request"))
    changes = call.body.model_dump(exclude_unset=True, exclude={"version", "injured_at"})
    merged = {k: v for k, v in current.nine_line.items() if v is not None} | {
        k: v for k, v in changes.items() if k in LATER_LINES}
    nine_line = parse_structured(merged)
    updated = await store.update_lines(
        call.conn, current, intake.to_intake(nine_line, intake.not_in_future(call.body.injured_at) or current.injured_at))
    await record_change(call.conn, call.principal, event="evac_request.updated", entity="evac_request",
                        entity_id=current.id, mission_id=current.mission_id,
                        before=current.model_dump(mode="json"), after=updated.model_dump(mode="json"))
    [shown] = await privacy.shown(call.conn, call.principal, [await with_recommendation(call, updated)],
                                  entity="evac_request", purpose="dispatch")
    return versioned(shown)
