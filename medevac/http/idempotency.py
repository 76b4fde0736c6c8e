"""`Idempotency-Key`: a retried create returns the first result and creates nothing new.

The key row is inserted in the create's own transaction, so a concurrent retry waits on
the unique index until the first attempt commits (and then replays it) or rolls back
(and then runs itself). Failed attempts are not remembered: a retry may succeed.
"""

import hashlib
from typing import Any

import asyncpg
from aiohttp import web
from pydantic import BaseModel

from medevac.errors import FieldError, Problem

MAX_KEY_LENGTH = 200


def _fingerprint(request: web.Request, body: Any) -> bytes:
    payload = body.model_dump_json() if isinstance(body, BaseModel) else repr(body)
    return hashlib.sha256(f"{request.method} {request.path}\n{payload}".encode()).digest()


async def claim(
    conn: asyncpg.Connection, user: str, key: str, request: web.Request, body: Any
) -> web.Response | None:
    """Claim the key for this request; return the stored response when it was already used."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Problem(400, "Invalid idempotency key", f"1 to {MAX_KEY_LENGTH} characters",
                      [FieldError("Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} characters")])
    fingerprint = _fingerprint(request, body)
    inserted = await conn.fetchval(
        """INSERT INTO idempotency_keys (user_id, key, method, path, request_hash)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
        user, key, request.method, request.path, fingerprint,
    )
    if inserted:
        return None
    row = await conn.fetchrow(
        "SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2",
        user, key,
    )
    if row["request_hash"] != fingerprint:
        raise Problem(422, "Idempotency key reused", "this key was used for a different request",
                      [FieldError("Idempotency-Key", "already used with another request body or path")])
    return web.json_response(row["response"], status=row["status"], headers={"Idempotent-Replayed": "true"})


async def store(conn: asyncpg.Connection, user: str, key: str, response: web.StreamResponse) -> None:
    body = response.text if isinstance(response, web.Response) and response.body is not None else None
    await conn.execute(
        "UPDATE idempotency_keys SET status = $3, response = $4::text::jsonb WHERE user_id = $1 AND key = $2",
        user, key, response.status, body,
    )
