"""Live connections (event streams, consult and inbox websockets): capped per token and per
client address, and ended when their token is revoked or expires, as REST refuses it.

A stream is authorised once, when it opens; without this a revoked token kept its open streams
for as long as the client held them. Counts are per replica, as the rate limits are.
"""

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass

import asyncpg
import structlog
from aiohttp import WSCloseCode, web

from medevac.auth import TOKEN_CACHE_TTL_S, Principal
from medevac.db import RETRYABLE as DB_UNAVAILABLE
from medevac.errors import Problem
from medevac.keys import pool_key, settings_key

log = structlog.get_logger(__name__)

# Half the token cache's TTL: a live connection ends within the 5 s in which REST refuses the token.
RECHECK_S = TOKEN_CACHE_TTL_S / 2
RETRY_AFTER_S = 10  # a slot frees when one of the caller's own streams closes


@dataclass(eq=False)
class Live:
    principal: Principal
    address: str
    end: Callable[[], Awaitable[None]]  # ends the connection, telling the client why
    ended: bool = False


class LiveConnections:
    def __init__(self, per_token: int, per_address: int) -> None:
        self.per_token, self.per_address = per_token, per_address
        self._open: set[Live] = set()
        self._tokens: Counter = Counter()
        self._addresses: Counter = Counter()
        self._ending: set[asyncio.Task] = set()

    @contextlib.contextmanager
    def held(self, request: web.Request, principal: Principal,
             end: Callable[[], Awaitable[None]]) -> Iterator[Live]:
        """Count this connection while the block runs; 429 (before the stream starts) past a cap."""
        address = request.remote or "unknown"
        if self._tokens[principal.token_id] >= self.per_token:
            raise _too_many(f"this token already holds {self.per_token} live connections; close one first")
        if self._addresses[address] >= self.per_address:
            raise _too_many(f"this address already holds {self.per_address} live connections")
        live = Live(principal, address, end)
        self._open.add(live)
        self._tokens[principal.token_id] += 1
        self._addresses[address] += 1
        try:
            yield live
        finally:
            self._open.discard(live)
            _decrement(self._tokens, principal.token_id)
            _decrement(self._addresses, address)

    async def recheck(self, pool: asyncpg.Pool) -> int:
        """End every live connection whose token is no longer valid; how many were ended."""
        token_ids = list(self._tokens)
        if not token_ids:
            return 0
        async with pool.acquire(timeout=RECHECK_S) as conn:
            valid = {r["id"] for r in await conn.fetch(
                "SELECT id FROM tokens WHERE id = ANY($1) AND revoked_at IS NULL AND expires_at > now()", token_ids)}
        stale = [live for live in self._open if live.principal.token_id not in valid and not live.ended]
        for live in stale:
            live.ended = True
            task = asyncio.create_task(live.end())  # a websocket's close handshake may take a while
            self._ending.add(task)
            task.add_done_callback(self._ending.discard)
        if stale:
            log.info("live.ended_for_token", connections=len(stale))
        return len(stale)


def ending(ws: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    """How a websocket ends when its token stops being valid: 1008, and no reconnect hint."""
    async def end() -> None:
        await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"token revoked or expired")

    return end


def _decrement(counter: Counter, key) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]


def _too_many(detail: str) -> Problem:
    return Problem(429, "Too many live connections", detail, headers={"Retry-After": str(RETRY_AFTER_S)})


async def _recheck_forever(app: web.Application) -> None:
    live = app[live_key]
    while True:
        await asyncio.sleep(RECHECK_S)
        try:
            await live.recheck(app[pool_key])
        except DB_UNAVAILABLE as exc:  # streams carry on; the next period checks again
            log.warning("live.recheck_failed", error=type(exc).__name__)


async def live_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[settings_key]
    app[live_key] = LiveConnections(settings.live_per_token_max, settings.live_per_address_max)
    task = asyncio.create_task(_recheck_forever(app))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


live_key: web.AppKey[LiveConnections] = web.AppKey("live_connections", LiveConnections)
