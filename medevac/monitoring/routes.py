"""`GET /v1/reports/response-times`: the HQ report, as JSON or CSV."""

import csv
import io
import uuid
from datetime import datetime, timedelta, timezone
from typing import Literal

from aiohttp import web
from pydantic import ConfigDict, Field

from medevac.bounds import Instant
from medevac.errors import invalid
from medevac.models import Strict
from medevac.monitoring.report import ResponseTimes, as_csv_rows, response_times
from medevac.http.web import Call, RouteTable

routes = RouteTable("reports")
DEFAULT_WINDOW = timedelta(days=30)


class ResponseTimesQuery(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Instant | None = Field(None, alias="from",
                                        description="start of the handover window (ISO 8601 with offset; default to − 30 days)")
    to: Instant | None = Field(None, description="end of the window, exclusive (default now)")
    mission: uuid.UUID | None = Field(None, description="one mission (default: the token's, or every mission)")
    format: Literal["json", "csv"] = "json"


@routes.get("/v1/reports/response-times",
            summary="Response times per precedence (count, mean, p90, share within standard, segments), "
                    "exact from the casualty rows, for casualties handed over in [from, to)",
            roles=frozenset({"observer", "admin", "dispatcher"}), query=ResponseTimesQuery, response=ResponseTimes,
            also_produces=("text/csv",))
async def get_response_times(call: Call) -> web.Response | ResponseTimes:
    q = call.query
    end = q.to or datetime.now(timezone.utc)
    start = q.from_ or end - DEFAULT_WINDOW
    if start >= end:
        raise invalid("query.from", "must be before `to`")
    report = await response_times(call.conn, start, end, call.principal.default_mission(q.mission))
    if q.format == "json":
        return web.json_response(body=report.model_dump_json(by_alias=True))
    out = io.StringIO()
    csv.writer(out).writerows(as_csv_rows(report))
    return web.Response(text=out.getvalue(), content_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="response-times.csv"'})
