"""Operations endpoints: liveness, readiness, metrics and the OpenAPI document."""

import asyncio

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from medevac.db import migrations
from medevac.keys import metrics_key, pool_key, settings_key
from medevac.http.openapi import api_key

READY_TIMEOUT_S = 2.0


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready when the database answers and every migration this code knows is applied."""
    app = request.app
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            async with app[pool_key].acquire() as conn:
                current = await migrations.is_current(conn, app[settings_key].migrations_dir)
    except Exception as exc:  # noqa: BLE001 - any failure here means "not ready", reported
        return web.json_response({"status": "unavailable", "database": type(exc).__name__}, status=503,
                                 headers={"Retry-After": "5"})
    if not current:
        return web.json_response({"status": "unavailable", "migrations": "pending"}, status=503)
    return web.json_response({"status": "ready"})


async def metrics(request: web.Request) -> web.Response:
    body = generate_latest(request.app[metrics_key].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(request.app[api_key].document())


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/openapi.json", openapi)
