"""Wiring: interop metrics, the pre-alert pusher and the CoT feed, after the database and the hub."""

from aiohttp import web

from medevac.interop.cot.server import cot_ctx
from medevac.interop.fhir.push import push_ctx
from medevac.interop.metrics import InteropMetrics, interop_metrics_key
from medevac.keys import metrics_key


def setup_interop(app: web.Application) -> None:
    app[interop_metrics_key] = InteropMetrics(app[metrics_key].registry)
    app.cleanup_ctx.append(push_ctx)
    app.cleanup_ctx.append(cot_ctx)
