"""The application factory: settings in, a ready `web.Application` out. No globals.

The shell comes first (settings, metrics, limits, the database pool, the event hub), then each
domain package's `setup(app)` adds its operations, keys, metrics and background work, and the
operations are installed last, so every one of them is routed and in `/openapi.json`.
"""

from aiohttp import web

from medevac import monitoring

from medevac.http import health
from medevac.http.boards import BoardCache, board_cache_key
from medevac.config import Settings
from medevac.console import routes as console
from medevac.cpu import cpu_ctx
from medevac.db.pool import database_ctx
from medevac.dispatch import setup as dispatch
from medevac.http.sse import routes as event_routes
from medevac.facilities import setup as facilities
from medevac.interop import setup as interop
from medevac.keys import limits_key, metrics_key, settings_key
from medevac.hub import end_streams_on_shutdown, hub_ctx
from medevac.http.liveconns import live_ctx
from medevac.metrics import Metrics
from medevac.http.middleware import context_middleware, problem_middleware
from medevac.missions import setup as missions
from medevac.http.openapi import Api, api_key
from medevac.basing import setup as basing
from medevac.http.ratelimit import limits_from
from medevac.telemed import setup as telemed

# Order matters for background work: the planner, broker and feeds start after the pool and hub.
DOMAINS = (missions, facilities, dispatch, telemed, basing, monitoring, interop)


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings()
    app = web.Application(
        middlewares=[context_middleware, problem_middleware],
        client_max_size=settings.max_body_bytes,
    )
    app[settings_key] = settings
    app[metrics_key] = Metrics()
    app[limits_key] = limits_from(settings)
    app[board_cache_key] = BoardCache()
    app[api_key] = api = Api()
    app.cleanup_ctx.append(database_ctx)
    app.cleanup_ctx.append(hub_ctx)
    app.cleanup_ctx.append(live_ctx)
    app.cleanup_ctx.append(cpu_ctx)
    app.on_shutdown.append(end_streams_on_shutdown)
    api.add(event_routes)
    for domain in DOMAINS:
        domain.setup(app)
    health.setup(app)
    console.setup(app)
    api.install(app)
    return app
