"""The telemedicine service as the app factory installs it: route tables and background work."""

from aiohttp import web

from medevac.http.openapi import api_key
from medevac.telemed.alerts import routes as alert_routes
from medevac.telemed.consult_routes import routes as consult_routes
from medevac.telemed.conversation_routes import routes as conversation_routes
from medevac.telemed.inbox import routes as inbox_routes
from medevac.telemed.session import close_sessions, routes as session_routes
from medevac.telemed.specialist_routes import routes as specialist_routes
from medevac.telemed.sweeper import telemed_ctx


def setup(app: web.Application) -> None:
    """Routes; the broker and sweeper after the database and hub; sessions closed when shutdown begins."""
    app[api_key].add(specialist_routes, consult_routes, alert_routes, conversation_routes, session_routes, inbox_routes)
    app.cleanup_ctx.append(telemed_ctx)
    app.on_shutdown.append(close_sessions)
