"""Board pages kept per replica until the data they show changes, and built from rows kept in JSON.

Consoles re-read the open-requests board on every event they follow; building that page (two
queries, hundreds of rows validated, the privacy pass, JSON) was the largest single cost of a
replica under load. A page is kept per query and per kind of reader (with or without patient
details), tagged with the newest event of the entities it shows, and served again while that is
still the newest: one index-only lookup instead of the build. Every change publishes an event
in its own transaction and events are numbered at commit in commit order (medevac/events.py,
sql/005), so a kept page is never older than what the reader's lookup saw. Reads of patient
details are audited on every serving, as when the page is built.

A page that must be built again (a new request came in) is mostly the same rows: `Fragments`
keeps each row's JSON per row fingerprint, so only new and changed rows are read and encoded.
"""

import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import asyncpg
from aiohttp import web
from pydantic import BaseModel

from medevac import audit
from medevac.auth import Principal
from medevac.privacy import PATIENT_READERS

Reads = list[tuple[str, object, uuid.UUID | None]]
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Kept:
    version: int
    body: bytes
    reads: Reads
    purpose: str


async def latest_event(conn: asyncpg.Connection, mission_id: uuid.UUID, entities: tuple[str, ...]) -> int:
    """The newest event of these entities in the mission (each a backward scan of one index entry)."""
    return await conn.fetchval(
        "SELECT coalesce(max(seq), 0) FROM (SELECT (SELECT max(seq) FROM events WHERE mission_id = $1 "
        "AND entity = e) AS seq FROM unnest($2::text[]) AS e) AS per_entity", mission_id, list(entities))


class Recent(Generic[K, V]):
    """A bounded mapping that forgets the entry used least recently."""

    def __init__(self, size: int) -> None:
        self._kept: OrderedDict[K, V] = OrderedDict()
        self._size = size

    def get(self, key: K) -> V | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self._kept[key] = value
        if len(self._kept) > self._size:
            self._kept.popitem(last=False)


class BoardCache:
    def __init__(self, size: int = 128) -> None:
        self._kept: Recent[Hashable, Kept] = Recent(size)
        self.hits = self.builds = 0
        self.fragments = Fragments(8192)

    async def serve(self, conn: asyncpg.Connection, principal: Principal, *, mission_id: uuid.UUID,
                    entities: tuple[str, ...], query: Hashable,
                    build: Callable[[], Awaitable[tuple[bytes, Reads, str]]]) -> web.Response:
        """The page for `query` in the mission: kept, or built by `build` (JSON body, reads to
        audit, purpose) and kept. `build` must apply the reader's privacy without auditing."""
        key = (mission_id, entities, query, principal.role in PATIENT_READERS)
        version = await latest_event(conn, mission_id, entities)
        kept = self._kept.get(key)
        if kept is not None and kept.version == version:
            self.hits += 1
        else:
            kept = Kept(version, *await build())
            self._kept.put(key, kept)
            self.builds += 1
        if kept.reads:
            await audit.record_reads(conn, principal, kept.reads, purpose=kept.purpose)
        return web.json_response(body=kept.body)


@dataclass(frozen=True)
class Fragment:
    json: bytes
    read: tuple[str, object, uuid.UUID | None] | None  # the patient-details read showing it means


class Fragments(Recent[tuple, Fragment]):
    """Rows as JSON, per (entity, row id, fingerprint[, reader sees patient details])."""

    def encoded(self, key: tuple, model: Callable[[], BaseModel]) -> bytes:
        """The JSON of the row under `key`: kept, or made from `model()` and kept (no patient details)."""
        found = self.get(key)
        if found is None:
            found = Fragment(model().model_dump_json().encode(), None)
            self.put(key, found)
        return found.json


def page_json(fragments: list[bytes], next_cursor: str | None) -> bytes:
    """`Page` as pydantic writes it, from rows already in JSON."""
    cursor = b"null" if next_cursor is None else b'"' + next_cursor.encode() + b'"'
    return b'{"items":[' + b",".join(fragments) + b'],"next_cursor":' + cursor + b"}"


board_cache_key: web.AppKey[BoardCache] = web.AppKey("board_cache", BoardCache)
