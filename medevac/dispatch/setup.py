"""Wiring of dispatch into the app: assets, 9-line requests, evacuations, inbound views, the
coverage grid, their metrics and the re-planning loop."""

from aiohttp import web

from medevac.dispatch import coverage_routes
from medevac.dispatch.assets.routes import routes as assets
from medevac.dispatch.evacuations.routes import routes as evacuations
from medevac.dispatch.inbound import routes as inbound
from medevac.dispatch.metrics import DispatchMetrics, dispatch_metrics_key
from medevac.dispatch.planning.loop import planner_ctx
from medevac.dispatch.requests import cancel  # noqa: F401 (declares POST /v1/evac-requests/{id}/cancel on the requests table)
from medevac.dispatch.requests.routes import routes as requests
from medevac.keys import metrics_key
from medevac.http.openapi import api_key


def setup(app: web.Application) -> None:
    """Routes and metrics; the planner starts after the database and the hub."""
    app[dispatch_metrics_key] = DispatchMetrics(app[metrics_key].registry)
    app[api_key].add(assets, requests, evacuations, inbound, coverage_routes.routes)
    coverage_routes.setup(app)
    app.cleanup_ctx.append(planner_ctx)
