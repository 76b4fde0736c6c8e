"""Typed application keys shared across the service.

A key typed by a class whose module itself needs these keys is declared beside that class
(`live.hub_key`, `liveconns.live_key`, `auth.principal_key`, `openapi.api_key`,
`telemed.broker.broker_key`), so this module imports nothing that imports it.
"""

import asyncpg
from aiohttp import web

from medevac.config import Settings
from medevac.metrics import Metrics
from medevac.http.ratelimit import Limits

settings_key: web.AppKey[Settings] = web.AppKey("settings", Settings)
pool_key: web.AppKey[asyncpg.Pool] = web.AppKey("pool", asyncpg.Pool)
metrics_key: web.AppKey[Metrics] = web.AppKey("metrics", Metrics)
dsn_key: web.AppKey[str] = web.AppKey("dsn", str)
consult_sockets_key: web.AppKey[set] = web.AppKey("consult_sockets", set)
limits_key: web.AppKey[Limits] = web.AppKey("limits", Limits)
