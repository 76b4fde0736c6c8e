"""Request bodies, read in full before any database work: capped in size and in time.

A client that trickles its body then costs a socket and a little memory, never one of the pool's
connections (which every other caller of every mission waits on).
"""

import asyncio

from aiohttp import web

from medevac.errors import FieldError, Problem
from medevac.keys import settings_key

body_key: web.RequestKey[bytes] = web.RequestKey("body", bytes)
CHUNK = 65536


def too_large(limit: int) -> Problem:
    return Problem(413, "Payload too large", f"the body is larger than the {limit} bytes accepted here",
                   [FieldError("body", f"larger than {limit} bytes")])


async def read_body(request: web.Request, limit: int | None = None) -> bytes:
    """The whole body, at most `limit` bytes (default MEDEVAC_MAX_BODY_BYTES), arrived within
    MEDEVAC_BODY_TIMEOUT_S; read once, later calls get the same bytes."""
    if body_key in request:
        return request[body_key]
    settings = request.app[settings_key]
    limit = limit or settings.max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)  # said so up front: no need to wait for it
    chunks, size = [], 0
    try:
        async with asyncio.timeout(settings.body_timeout_s):
            async for chunk in request.content.iter_chunked(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                chunks.append(chunk)
    except TimeoutError:
        raise Problem(408, "Request timeout",
                      f"the body did not arrive within {settings.body_timeout_s:g} s; send it again",
                      [FieldError("body", "arrived too slowly")]) from None
    request[body_key] = body = b"".join(chunks)
    return body
