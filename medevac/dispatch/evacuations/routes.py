"""`/v1/evacuations` and the approval of a 9-line request's recommendation."""

from aiohttp import web

from medevac.auth import ROLES
from medevac.dispatch.evacuations import lifecycle, tasking
from medevac.dispatch.evacuations import store
from medevac.dispatch.evacuations.model import (
    Approval, Evacuation, EvacuationQuery, Reassignment, TransitionRequest,
)
from medevac.dispatch.metrics import dispatch_metrics_key
from medevac.models import Page
from medevac.http.web import Call, RouteTable, versioned

routes = RouteTable("evacuations")
EVERYONE = frozenset(ROLES)
DISPATCHERS = frozenset({"dispatcher", "admin"})
# Aircrew report their progress through the dispatcher's console or the field radio operator.
CREW = frozenset({"dispatcher", "admin", "field"})
CONFLICTS = {409: "someone else tasked the asset or casualties first (body: the current state)",
             422: "invalid, or warnings need accept_warnings"}


def _metrics(call: Call):
    return call.request.app.get(dispatch_metrics_key)


@routes.post("/v1/evac-requests/{request_id}/approve",
             summary="Approve the recommendation, or choose another asset and facility, and task it",
             roles=DISPATCHERS, body=Approval, response=Evacuation, status=201, idempotent=True,
             extra_responses=CONFLICTS)
async def approve(call: Call) -> web.Response:
    b = call.body
    evacuation = await tasking.approve(
        call.conn, call.principal, call.uuid_param("request_id", "evac request"), asset_id=b.asset_id,
        facility_id=b.facility_id, accept_warnings=b.accept_warnings, metrics=_metrics(call), shown=b.shown,
        without_escort=b.without_escort)
    return versioned(evacuation, 201)


@routes.get("/v1/evacuations", summary="List evacuations (filter by mission, state, request)",
            roles=EVERYONE, query=EvacuationQuery, response=Page[Evacuation])
async def list_evacuations(call: Call) -> Page[Evacuation]:
    return await call.page(store.list_for, state=call.query.state, request_id=call.query.request)


@routes.get("/v1/evacuations/{evacuation_id}", summary="Read an evacuation with its stage times",
            roles=EVERYONE, response=Evacuation)
async def get_evacuation(call: Call) -> web.Response:
    return versioned(await lifecycle.visible(call.conn, call.principal, call.uuid_param("evacuation_id", "evacuation")))


@routes.post("/v1/evacuations/{evacuation_id}/transitions",
             summary="Move the evacuation to its next state (airborne, at_pickup, loaded, handed_over, "
                     "complete, aborted)",
             roles=CREW, body=TransitionRequest, response=Evacuation,
             extra_responses={409: "not allowed from the current state (body: the current state)"})
async def transition(call: Call) -> web.Response:
    evacuation = await lifecycle.visible(call.conn, call.principal, call.uuid_param("evacuation_id", "evacuation"))
    after = await lifecycle.advance(call.conn, call.principal, evacuation, call.body.to, reason=call.body.reason,
                                    metrics=_metrics(call))
    return versioned(after)


@routes.post("/v1/evacuations/{evacuation_id}/reassign",
             summary="Abort this sortie and task another asset or facility for the same casualties",
             roles=DISPATCHERS, body=Reassignment, response=Evacuation, status=201, extra_responses=CONFLICTS)
async def reassign(call: Call) -> web.Response:
    evacuation = await lifecycle.visible(call.conn, call.principal, call.uuid_param("evacuation_id", "evacuation"))
    b = call.body
    replacement = await lifecycle.reassign(call.conn, call.principal, evacuation, asset_id=b.asset_id,
                                           facility_id=b.facility_id, accept_warnings=b.accept_warnings,
                                           reason=b.reason, metrics=_metrics(call), without_escort=b.without_escort)
    return versioned(replacement, 201)
