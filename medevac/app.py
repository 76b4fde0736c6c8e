"""The application factory: settings in, a ready `web.Application` out. No globals."""

from aiohttp import web

from medevac import health
from medevac.boards import BoardCache, board_cache_key
from medevac.config import Settings
from medevac.console import routes as console
from medevac.cpu import cpu_ctx
from medevac.db.pool import database_ctx
from medevac.event_stream import routes as event_routes
from medevac.dispatch.assets.routes import routes as asset_routes
from medevac.dispatch.evacuations.routes import routes as evacuation_routes
from medevac.dispatch.inbound import routes as inbound_routes
from medevac.dispatch.metrics import DispatchMetrics, dispatch_metrics_key
from medevac.dispatch.planning.loop import planner_ctx
from medevac.dispatch.requests import cancel as _cancel  # noqa: F401 (adds POST /v1/evac-requests/{id}/cancel)
from medevac.dispatch.requests.routes import routes as request_routes
from medevac.facilities.routes import routes as facility_routes
from medevac.interop.setup import setup_interop
from medevac.keys import limits_key, metrics_key, settings_key
from medevac.live import end_streams_on_shutdown, hub_ctx
from medevac.liveconns import live_ctx
from medevac.metrics import Metrics
from medevac.middleware import context_middleware, problem_middleware
from medevac.missions.routes import routes as mission_routes
from medevac.monitoring import report_routes, setup as setup_monitoring
from medevac.telemed.service import TELEMED_ROUTES, setup_telemed
from medevac.openapi import Api, api_key
from medevac.planning.routes import routes as basing_routes
from medevac.interop.fhir.routes import routes as fhir_routes
from medevac.ratelimit import limits_from
from medevac.web import RouteTable

ROUTE_TABLES: tuple[RouteTable, ...] = (mission_routes, facility_routes, asset_routes, event_routes,
                                         request_routes, evacuation_routes, inbound_routes, report_routes, basing_routes,
                                         fhir_routes, *TELEMED_ROUTES)


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings()
    app = web.Application(
        middlewares=[context_middleware, problem_middleware],
        client_max_size=settings.max_body_bytes,
    )
    app[settings_key] = settings
    app[metrics_key] = Metrics()
    app[dispatch_metrics_key] = DispatchMetrics(app[metrics_key].registry)
    app[limits_key] = limits_from(settings)
    app[board_cache_key] = BoardCache()
    api = Api(ROUTE_TABLES)
    app[api_key] = api
    app.cleanup_ctx.append(database_ctx)
    app.cleanup_ctx.append(hub_ctx)
    app.cleanup_ctx.append(live_ctx)
    app.cleanup_ctx.append(planner_ctx)
    app.cleanup_ctx.append(cpu_ctx)
    setup_monitoring(app)
    app.on_shutdown.append(end_streams_on_shutdown)
    setup_telemed(app)
    setup_interop(app)
    health.setup(app)
    console.setup(app)
    api.install(app)
    return app
