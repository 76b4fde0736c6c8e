"""Wiring of missions into the app."""

from aiohttp import web

from medevac.http.openapi import api_key
from medevac.missions.routes import routes


def setup(app: web.Application) -> None:
    app[api_key].add(routes)
