"""Wiring: interop metrics, the pre-alert pusher and the CoT feed, after the database and the hub."""

from aiohttp import web

from medevac.interop.cot.server import cot_ctx
from medevac.interop.fhir.push import push_ctx
from medevac.interop.metrics import InteropMetrics, interop_metrics_key
from medevac.interop.fhir.routes import routes as fhir_routes
from medevac.keys import metrics_key
from medevac.http.openapi import api_key


def setup(app: web.Application) -> None:
    app[api_key].add(fhir_routes)
    app[interop_metrics_key] = InteropMetrics(app[metrics_key].registry)
    app.cleanup_ctx.append(push_ctx)
    app.cleanup_ctx.append(cot_ctx)
