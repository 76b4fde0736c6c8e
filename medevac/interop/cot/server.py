"""Start the CoT feed with the app: a TCP (or TLS) listener for TAK clients, and/or a client
connection to the mission's TAK server, kept up with backoff."""

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator

import structlog
from aiohttp import web

from medevac.config import Settings
from medevac.interop.cot.feed import Feed
from medevac.interop.metrics import interop_metrics_key
from medevac.interop.tasks import stop
from medevac.keys import settings_key

log = structlog.get_logger(__name__)
RECONNECT_S = (1, 2, 5, 10, 30)
cot_feed_key: web.AppKey[Feed] = web.AppKey("cot_feed", Feed)
cot_server_key: web.AppKey[asyncio.AbstractServer] = web.AppKey("cot_server", asyncio.AbstractServer)


def tls_context(settings: Settings, purpose: ssl.Purpose) -> ssl.SSLContext | None:
    """TLS when a certificate is configured; with a CA, the other side must present a certificate it signed."""
    if settings.cot_tls_cert is None:
        return None
    context = ssl.create_default_context(purpose)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(settings.cot_tls_cert, settings.cot_tls_key)
    if settings.cot_tls_ca is not None:
        context.load_verify_locations(settings.cot_tls_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    elif purpose is ssl.Purpose.SERVER_AUTH:
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # no CA given: encrypt only
    return context


async def dial(feed: Feed, settings: Settings) -> None:
    """Connect to the mission's TAK server as a client, forever: reconnect after each loss."""
    host, _, port = settings.cot_connect.rpartition(":")
    context = tls_context(settings, ssl.Purpose.SERVER_AUTH)
    failures = 0
    while True:
        try:
            reader, writer = await asyncio.open_connection(host, int(port), ssl=context)
            failures = 0
            await feed.session(reader, writer)
        except (OSError, asyncio.TimeoutError) as error:
            log.warning("cot.dial_failed", target=settings.cot_connect, error=str(error))
        await asyncio.sleep(RECONNECT_S[min(failures, len(RECONNECT_S) - 1)])
        failures += 1


async def cot_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[settings_key]
    if not settings.cot_mission or not (settings.cot_port or settings.cot_connect):
        yield
        return
    feed = Feed(app, settings.cot_mission, app[interop_metrics_key])
    app[cot_feed_key] = feed
    tasks = [asyncio.create_task(feed.follow()), asyncio.create_task(feed.refresh())]
    server = None
    if settings.cot_port:
        server = await asyncio.start_server(feed.session, settings.cot_host, settings.cot_port,
                                            ssl=tls_context(settings, ssl.Purpose.CLIENT_AUTH))
        app[cot_server_key] = server
        log.info("cot.listening", host=settings.cot_host, port=settings.cot_port, tls=bool(settings.cot_tls_cert))
    if settings.cot_connect:
        tasks.append(asyncio.create_task(dial(feed, settings)))
    yield
    if server is not None:
        server.close()
    for queue in list(feed.queues):  # end every connection's writer
        queue.put_nowait(None)
    await stop(tasks)
    if server is not None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 5)
