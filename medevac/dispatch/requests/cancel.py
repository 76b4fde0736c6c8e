"""`POST /v1/evac-requests/{id}/cancel`: a junk, duplicate or stood-down 9-line leaves the board,
the plan and the basing history; why is in the audit log and on its event."""

from aiohttp import web
from pydantic import Field

from medevac.dispatch.evacuations.machine import LIVE
from medevac.dispatch.requests import store
from medevac.dispatch.requests.routes import CALLERS, routes, visible_request
from medevac.errors import conflict
from medevac.events import record_change
from medevac.models import Strict
from medevac.http.web import Call, versioned


class Cancellation(Strict):
    reason: str = Field(min_length=1, max_length=500, description="why, in words: duplicate, stood down, junk")


@routes.post("/v1/evac-requests/{request_id}/cancel",
             summary="Cancel a request (with a reason): it leaves the board, the plan and the basing history",
             roles=CALLERS, body=Cancellation, idempotent=True,
             extra_responses={409: "already cancelled or handed over, or an aircraft is still tasked for it "
                                   "(abort that sortie first)"})
async def cancel_request(call: Call) -> web.Response:
    current = await visible_request(call, for_update=True)
    if current.status in ("cancelled", "handed_over"):
        raise conflict(f"this request is {current.status.replace('_', ' ')} already", code=f"request_{current.status}",
                       current=current.model_dump(mode="json"))
    flying = await call.conn.fetch(
        """SELECT a.callsign FROM evacuations e JOIN assets a ON a.id = e.asset_id
           WHERE e.state = ANY($2) AND (e.request_id = $1  -- or its casualties ride along on another's sortie
                 OR EXISTS (SELECT 1 FROM casualties c WHERE c.evacuation_id = e.id AND c.request_id = $1))
           ORDER BY a.callsign""", current.id, list(LIVE))
    if flying:
        names = ", ".join(r["callsign"] for r in flying)
        raise conflict(f"{names} is still tasked for this request: abort that sortie first (Evacuations under way)",
                       code="live_sortie", current=current.model_dump(mode="json"))
    await store.set_status(call.conn, current.id, "cancelled")
    cancelled = await store.get(call.conn, current.id)
    await record_change(call.conn, call.principal, event="evac_request.cancelled", entity="evac_request",
                        entity_id=current.id, mission_id=current.mission_id, before=current.model_dump(mode="json"),
                        after=cancelled.model_dump(mode="json") | {"cancel_reason": call.body.reason})
    return versioned(cancelled)
