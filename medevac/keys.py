"""Typed application keys, declared together so every module shares one vocabulary."""

from typing import TYPE_CHECKING

import asyncpg
from aiohttp import web

if TYPE_CHECKING:
    from medevac.auth import Principal
    from medevac.config import Settings
    from medevac.live import EventHub
    from medevac.liveconns import LiveConnections
    from medevac.metrics import Metrics
    from medevac.ratelimit import Limits
    from medevac.app import Api
    from medevac.telemed.broker import Broker

settings_key: web.AppKey["Settings"] = web.AppKey("settings")
pool_key: web.AppKey[asyncpg.Pool] = web.AppKey("pool", asyncpg.Pool)
metrics_key: web.AppKey["Metrics"] = web.AppKey("metrics")
hub_key: web.AppKey["EventHub"] = web.AppKey("hub")
api_key: web.AppKey["Api"] = web.AppKey("api")
dsn_key: web.AppKey[str] = web.AppKey("dsn", str)
broker_key: web.AppKey["Broker"] = web.AppKey("telemed_broker")
consult_sockets_key: web.AppKey[set] = web.AppKey("consult_sockets", set)
principal_key: web.RequestKey["Principal"] = web.RequestKey("principal")
limits_key: web.AppKey["Limits"] = web.AppKey("limits")
live_key: web.AppKey["LiveConnections"] = web.AppKey("live_connections")
