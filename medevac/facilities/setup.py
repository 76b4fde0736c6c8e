"""Wiring of facilities into the app."""

from aiohttp import web

from medevac.facilities.routes import routes
from medevac.http.openapi import api_key


def setup(app: web.Application) -> None:
    app[api_key].add(routes)
