"""The append-only audit log: who changed what, before and after, in the change's transaction."""

import asyncio
import json
import uuid
from typing import Any, NotRequired, TypedDict, Unpack

import asyncpg
import structlog

from medevac.auth import Principal


def jsonable(value: Any) -> Any:
    return None if value is None else json.loads(json.dumps(value, default=str))


# A change's row; `events.record_change` runs it together with the event, in one statement.
INSERT_CHANGE = """INSERT INTO audit_log (actor, role, mission_id, action, entity, entity_id, before, after, request_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"""


def actor(principal: Principal | None) -> tuple[str, str]:
    """(actor, role) as the audit log names them: the system acts without a principal."""
    return (principal.user, principal.role) if principal else ("system", "system")


def request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


class Change(TypedDict):
    """What changed, as an audit row (and the event that travels with it) names it."""

    entity: str
    entity_id: object
    mission_id: uuid.UUID | None
    before: NotRequired[Any]
    after: NotRequired[Any]


def change_row(principal: Principal | None, action: str, change: Change) -> tuple:
    """The parameters of `INSERT_CHANGE`, in its order."""
    return (*actor(principal), change["mission_id"], action, change["entity"], str(change["entity_id"]),
            jsonable(change.get("before")), jsonable(change.get("after")), request_id())


async def record(conn: asyncpg.Connection, principal: Principal | None, *, action: str,
                 **change: Unpack[Change]) -> None:
    """An audit row alone, for what publishes no event (`events.record_change` does both)."""
    await conn.execute(INSERT_CHANGE, *change_row(principal, action, change))


READ_ACTION = "patient_details.read"


_INSERT_READS = """INSERT INTO audit_log (actor, role, mission_id, action, entity, entity_id, after, request_id)
    SELECT a, r, m, $1, e, i, jsonb_build_object('purpose', p), q
    FROM unnest($2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[])
        AS t(a, r, m, e, i, p, q)"""


def read_rows(principal: Principal, reads: list[tuple[str, object, uuid.UUID | None]],
              purpose: str) -> list[tuple]:
    """Rows (actor, role, mission, entity, id, purpose, request id) for reads of patient details."""
    request = request_id()
    return [(principal.user, principal.role, mission_id, entity, str(entity_id), purpose, request)
            for entity, entity_id, mission_id in reads]


async def insert_reads(conn: asyncpg.Connection, rows: list[tuple]) -> None:
    # One statement over arrays: a 200-row board page or 500 consoles' reads cost one round trip.
    await conn.execute(_INSERT_READS, READ_ACTION, *(list(column) for column in zip(*rows)))


async def record_reads(
    conn: asyncpg.Connection,
    principal: Principal,
    reads: list[tuple[str, object, uuid.UUID | None]],
    *,
    purpose: str,
) -> None:
    """One row per resource whose patient details were shown: (entity, id, mission), and why."""
    if reads:
        await insert_reads(conn, read_rows(principal, reads, purpose))


class ReadBatcher:
    """Reads shown to many live streams at once (one event, 500 consoles) written together:
    each caller waits until its rows are committed, so nothing is shown before it is audited,
    and rows that arrive while a write is in flight go into the next one."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._pending: list[tuple] = []
        self._written: asyncio.Future | None = None
        self._writes: set[asyncio.Task] = set()  # held so a write in flight is not collected

    async def record(self, principal: Principal, reads: list[tuple[str, object, uuid.UUID | None]], *,
                     purpose: str) -> None:
        self._pending.extend(read_rows(principal, reads, purpose))
        if self._written is None:
            self._written = asyncio.get_running_loop().create_future()
            task = asyncio.ensure_future(self._write(self._written))
            self._writes.add(task)
            task.add_done_callback(self._writes.discard)
        await asyncio.shield(self._written)

    async def _write(self, written: asyncio.Future) -> None:
        await asyncio.sleep(0)  # let the other streams woken by the same event add their rows
        rows, self._pending, self._written = self._pending, [], None
        try:
            async with self._pool.acquire() as conn:
                await insert_reads(conn, rows)
        except BaseException as error:  # every waiter sees the failure; none shows unaudited details
            written.set_exception(error)
            if not isinstance(error, Exception):
                raise
        else:
            written.set_result(None)
