"""`/v1/consults`: request a specialist, answer offers, and end consults."""

from aiohttp import web

from medevac import privacy
from medevac.errors import forbidden, invalid
from medevac.events import record_change
from medevac.keys import settings_key
from medevac.telemed.broker import broker_key
from medevac.models import Page, page_of
from medevac.telemed import consults, outcomes, policy
from medevac.telemed.access import acting_specialist, answerable_consult, readable_consult, utcnow
from medevac.telemed.model import (CancelBody, CloseBody, Consult, ConsultCreate, ConsultQuery, ConsultView,
                                   DeclineBody)
from medevac.http.web import Call, RouteTable

routes = RouteTable("consults")
CLINICIANS = frozenset({"clinician"})
SPECIALISTS = frozenset({"specialist"})
READERS = frozenset({"clinician", "specialist", "admin"})
ENDERS = frozenset({"clinician", "specialist", "admin"})


async def view(call: Call, consult: Consult) -> ConsultView:
    return ConsultView.model_validate(consult.model_dump() | {
        "offers": await consults.offers(call.conn, consult.id),
        "evacuation_draft_id": await outcomes.draft_for(call.conn, consult.id)})


def broker(call: Call):
    return call.request.app[broker_key]


@routes.post("/v1/consults", summary="Request a specialist consult; the broker offers it at once",
             roles=CLINICIANS, body=ConsultCreate, response=ConsultView, status=201, idempotent=True,
             shows=("consult", "teleconsult"))
async def create_consult(call: Call) -> ConsultView:
    spec: ConsultCreate = call.body
    mission_id = call.mission_for_create(spec.mission_id)
    link = spec.evacuation_request_id
    if link is not None and not await outcomes.link_exists(call.conn, mission_id, link):
        raise invalid("evacuation_request_id", f"no evacuation request {link} in this mission")
    now = utcnow()
    rules = await policy.get(call.conn, mission_id, call.request.app[settings_key])
    created = await consults.create(call.conn, mission_id, call.principal.user, spec, now,
                                    getattr(rules.answer_targets, spec.urgency))
    await record_change(call.conn, call.principal, event="consult.requested", entity="consult",
                        entity_id=created.id, mission_id=mission_id, after=created.public())
    await privacy.read(call.conn, call.principal, "consult", [(created.id, mission_id)], purpose="teleconsult")
    return await view(call, await broker(call).dispatch(call.conn, created, now, call.principal))


@routes.get("/v1/consults", summary="List the consults I requested, was offered, or (admin) oversee",
            roles=READERS, query=ConsultQuery, response=Page[Consult])
async def list_consults(call: Call) -> Page[Consult]:
    q, p = call.query, call.principal
    mission = p.default_mission(q.mission)
    specialist_id = (await acting_specialist(call.conn, p)).id if p.role == "specialist" else None
    rows = await consults.list_visible(
        call.conn, mission_id=None if specialist_id else mission,
        user=p.user if p.role == "clinician" else None, specialist_id=specialist_id, status=q.status,
        after=q.after_id(), limit=q.limit + 1)
    page = page_of(rows, q.limit)
    await privacy.read(call.conn, p, "consult", [(c.id, c.mission_id) for c in page.items], purpose="teleconsult")
    return page


@routes.get("/v1/consults/{consult_id}", summary="Read a consult with its offers and ranking",
            roles=READERS, response=ConsultView)
async def get_consult(call: Call) -> ConsultView:
    consult = await readable_consult(call)
    await privacy.read(call.conn, call.principal, "consult", [(consult.id, consult.mission_id)], purpose="teleconsult")
    return await view(call, consult)


@routes.post("/v1/consults/{consult_id}/accept", summary="Accept an offered consult", roles=SPECIALISTS,
             response=ConsultView)
async def accept_consult(call: Call) -> ConsultView:
    consult = await answerable_consult(call)
    specialist = await acting_specialist(call.conn, call.principal)
    return await view(call, await broker(call).accept(call.conn, consult, specialist, utcnow(), call.principal))


@routes.post("/v1/consults/{consult_id}/decline", summary="Decline an offer; the broker moves on",
             roles=SPECIALISTS, body=DeclineBody, response=ConsultView)
async def decline_consult(call: Call) -> ConsultView:
    consult = await answerable_consult(call)
    specialist = await acting_specialist(call.conn, call.principal)
    updated = await broker(call).decline(call.conn, consult, specialist, utcnow(), call.body.reason, call.principal)
    return await view(call, updated)


@routes.post("/v1/consults/{consult_id}/cancel", summary="Cancel a consult (the requester or an admin)",
             roles=ENDERS, body=CancelBody, response=ConsultView)
async def cancel_consult(call: Call) -> ConsultView:
    consult = await readable_consult(call, for_update=True)
    p = call.principal
    if not (p.role == "admin" or (p.role == "clinician" and p.user == consult.requested_by)):
        raise forbidden("only the requesting clinician or an admin may cancel")
    return await view(call, await outcomes.cancel(broker(call), call.conn, consult, utcnow(), call.body.reason, p))


@routes.post("/v1/consults/{consult_id}/close", summary="Close an accepted consult with its outcome",
             roles=ENDERS, body=CloseBody, response=ConsultView)
async def close_consult(call: Call) -> ConsultView:
    consult = await readable_consult(call, for_update=True)
    p = call.principal
    specialist = await acting_specialist(call.conn, p) if p.role == "specialist" else None
    is_requester = p.role == "clinician" and p.user == consult.requested_by
    if not (is_requester or p.role == "admin" or (specialist and specialist.id == consult.specialist_id)):
        raise forbidden("only the consult's parties or an admin may close it")
    return await view(call, await outcomes.close(broker(call), call.conn, consult, utcnow(), call.body, p))
