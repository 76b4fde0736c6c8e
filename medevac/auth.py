"""Bearer tokens (stored hashed), roles and mission scoping."""

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal, get_args

import asyncpg
from aiohttp import web

from medevac.errors import forbidden, unauthorized
from medevac.keys import limits_key, pool_key

Role = Literal["dispatcher", "clinician", "specialist", "observer", "field", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
# Roles whose tokens may span every mission (headquarters views and administration).
GLOBAL_ROLES = frozenset({"admin", "observer"})
# Rights a token may carry beyond its role (sql/006, sql/013): `planning` lets an observer start
# basing plans; `facilities` lets a clinician report for any facility, not only their own.
RIGHTS: tuple[str, ...] = ("planning", "facilities")
TOKEN_PREFIX = "mdv_"


@dataclass(frozen=True)
class Principal:
    user: str
    role: str
    mission_id: uuid.UUID | None
    token_id: uuid.UUID
    rights: frozenset[str] = frozenset()
    facility_id: uuid.UUID | None = None  # where the holder works (their inbound view, their reports)

    def can_see(self, mission_id: uuid.UUID | None) -> bool:
        return self.mission_id is None or self.mission_id == mission_id

    def require_mission(self, mission_id: uuid.UUID | None) -> None:
        """Raise 403 unless this token may act in the given mission."""
        if not self.can_see(mission_id):
            raise forbidden("this token is scoped to another mission")

    def default_mission(self, requested: uuid.UUID | None) -> uuid.UUID | None:
        """The mission a request means: the one asked for (checked), else the token's own."""
        if requested is not None:
            self.require_mission(requested)
            return requested
        return self.mission_id


def hash_secret(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


async def create_token(
    conn: asyncpg.Connection,
    *,
    user: str,
    role: str,
    mission_id: uuid.UUID | None,
    ttl: timedelta = timedelta(days=30),
    rights: tuple[str, ...] = (),
    facility_id: uuid.UUID | None = None,
) -> str:
    """Create a token and return its secret; only its hash is stored."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if mission_id is None and role not in GLOBAL_ROLES:
        raise ValueError(f"a {role} token needs a mission")
    if unknown := set(rights) - set(RIGHTS):
        raise ValueError(f"unknown right {sorted(unknown)[0]!r}; one of {', '.join(RIGHTS)}")
    if ttl <= timedelta(0):
        raise ValueError("a token's lifetime must be positive")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with conn.transaction():
        await conn.execute("INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING", user)
        await conn.execute(
            """INSERT INTO tokens (id, user_id, role, mission_id, secret_hash, expires_at, rights, facility_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            uuid.uuid4(),
            user,
            role,
            mission_id,
            hash_secret(secret),
            datetime.now(timezone.utc) + ttl,
            sorted(set(rights)),
            facility_id,
        )
    return secret


TOKEN_CACHE_TTL_S = 5.0


class TokenCache:
    """Principals by secret hash for a few seconds: a token is looked up once per TTL, not once per
    call. A revocation through `revoke` drops the entries here at once; another replica (or the
    `medevac token revoke` command) is seen within the TTL. Expiry is checked on every hit."""

    def __init__(self, ttl_s: float = TOKEN_CACHE_TTL_S, size: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s, self.size, self.clock = ttl_s, size, clock
        self._entries: dict[tuple, tuple[float, datetime, Principal]] = {}

    def get(self, key: tuple) -> Principal | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        cached_at, expires_at, principal = entry
        if self.clock() - cached_at >= self.ttl_s or expires_at <= datetime.now(timezone.utc):
            del self._entries[key]
            return None
        return principal

    def put(self, key: tuple, expires_at: datetime, principal: Principal) -> None:
        if len(self._entries) >= self.size:  # oldest first: dicts keep insertion order
            del self._entries[next(iter(self._entries))]
        self._entries[key] = (self.clock(), expires_at, principal)

    def drop_user(self, user: str) -> None:
        for key in [k for k, (_, _, p) in self._entries.items() if p.user == user]:
            del self._entries[key]


TOKENS = TokenCache()  # per process, shared by the apps it serves


async def principal_for(conn: asyncpg.Connection, secret: str, cache_key: tuple | None = None) -> Principal | None:
    row = await conn.fetchrow(
        """SELECT id, user_id, role, mission_id, rights, expires_at, facility_id FROM tokens
           WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > now()""",
        hash_secret(secret),
    )
    if row is None:
        return None
    principal = Principal(row["user_id"], row["role"], row["mission_id"], row["id"], frozenset(row["rights"]),
                          row["facility_id"])
    if cache_key is not None:
        TOKENS.put(cache_key, row["expires_at"], principal)
    return principal


async def revoke(conn: asyncpg.Connection, user: str) -> str:
    """Revoke every live token of a user; this process refuses them at once, others within the TTL."""
    done = await conn.execute("UPDATE tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
                              user)
    TOKENS.drop_user(user)
    return done


def bearer_secret(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    # EventSource and WebSocket clients in browsers cannot set headers.
    return request.query.get("access_token") or None


async def authenticate(request: web.Request) -> Principal:
    """The request's principal, or 401 (429 for an address that keeps guessing)."""
    secret = bearer_secret(request)
    if not secret:
        raise unauthorized("missing bearer token")
    pool = request.app[pool_key]
    key = (id(pool), hash_secret(secret))  # per database: one process may serve several (tests)
    principal = TOKENS.get(key)
    if principal is None:
        async with pool.acquire(timeout=5) as conn:
            principal = await principal_for(conn, secret, key)
    if principal is None:
        request.app[limits_key].failed_auth.check(request.remote or "unknown", "too many invalid tokens")
        raise unauthorized("invalid, expired or revoked token")
    return principal


def require_role(principal: Principal, roles: frozenset[str]) -> None:
    if principal.role not in roles:
        raise forbidden(f"role {principal.role} may not do this (needs one of: {', '.join(sorted(roles))})")


principal_key: web.RequestKey[Principal] = web.RequestKey("principal", Principal)
