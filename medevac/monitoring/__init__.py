"""Headquarters monitoring: database-derived gauges and counters, and the response-time report."""

from aiohttp import web

from medevac.keys import metrics_key
from medevac.http.openapi import api_key
from medevac.monitoring.collector import MissionStateCollector, collector_key, refresh_ctx
from medevac.monitoring.routes import routes as report_routes

__all__ = ["setup"]


def setup(app: web.Application) -> None:
    """Register the mission-state collector on the app's registry and keep it fresh."""
    app[collector_key] = MissionStateCollector(app[metrics_key].registry)
    app[api_key].add(report_routes)
    app.cleanup_ctx.append(refresh_ctx)
