"""Wiring of basing planning into the app: its operations and the worker pool they need."""

from aiohttp import web

from medevac.http.openapi import api_key
from medevac.basing.routes import routes
from medevac.basing.runner import runner_ctx


def setup(app: web.Application) -> None:
    app[api_key].add(routes)
    app.cleanup_ctx.append(runner_ctx)
