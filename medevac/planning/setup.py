"""Wiring of basing planning into the app: its operations and the worker pool they need."""

from aiohttp import web

from medevac.openapi import api_key
from medevac.planning.routes import routes
from medevac.planning.runner import runner_ctx


def setup(app: web.Application) -> None:
    app[api_key].add(routes)
    app.cleanup_ctx.append(runner_ctx)
