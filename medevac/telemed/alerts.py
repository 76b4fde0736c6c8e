"""`GET /v1/consult-alerts`: emergency consults going nowhere, for the dispatcher's and the
clinician's screens: no specialist matched, or none answering past the answer target (the same
condition as the `medevac_consults_past_answer_target` gauge behind the Prometheus alert).

Only what the alert needs (specialty, status, times, who asked): no clinical text, so a dispatcher
may see it without reading the consult.
"""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from medevac.models import Strict
from medevac.telemed.access import utcnow
from medevac.telemed.model import AWAITING, ConsultStatus
from medevac.http.web import Call, RouteTable

routes = RouteTable("consults")
WATCHERS = frozenset({"dispatcher", "admin", "clinician"})


class AlertQuery(Strict):
    mission: uuid.UUID | None = Field(None, description="mission (default: the token's)")


class ConsultAlert(BaseModel):
    consult_id: uuid.UUID
    reason: Literal["unmatched", "unanswered"] = Field(
        description="unmatched: no specialist could be offered it; unanswered: none has answered by the target")
    specialty: str
    status: ConsultStatus
    requested_by: str
    created_at: datetime
    answer_due_at: datetime


class ConsultAlerts(BaseModel):
    alerts: list[ConsultAlert]
    recheck_at: datetime | None = Field(
        description="when an open emergency consult not yet alerting will pass its answer target")


@routes.get("/v1/consult-alerts", summary="Emergency consults with no specialist matched or none answering "
                                          "past the target (a clinician sees their own)",
            roles=WATCHERS, query=AlertQuery, response=ConsultAlerts)
async def consult_alerts(call: Call) -> ConsultAlerts:
    p = call.principal
    mission_id = p.default_mission(call.query.mission)
    now = utcnow()
    rows = await call.conn.fetch(
        """SELECT id, specialty, status, requested_by, created_at, answer_due_at FROM consults
           WHERE urgency = 'emergency' AND status = ANY($1::text[])
             AND ($2::uuid IS NULL OR mission_id = $2) AND ($3::text IS NULL OR requested_by = $3)
           ORDER BY created_at""",
        list(AWAITING), mission_id, p.user if p.role == "clinician" else None)
    alerts, later = [], []
    for r in rows:
        if r["status"] == "unmatched" or r["answer_due_at"] < now:
            reason = "unmatched" if r["status"] == "unmatched" else "unanswered"
            alerts.append(ConsultAlert(consult_id=r["id"], reason=reason, **{k: r[k] for k in (
                "specialty", "status", "requested_by", "created_at", "answer_due_at")}))
        else:
            later.append(r["answer_due_at"])
    return ConsultAlerts(alerts=alerts, recheck_at=min(later, default=None))
