"""The append-only audit log: who changed what, before and after, in the change's transaction."""

import json
import uuid
from typing import Any

import asyncpg
import structlog

from medevac.auth import Principal


def _jsonable(value: Any) -> Any:
    return None if value is None else json.loads(json.dumps(value, default=str))


async def record(
    conn: asyncpg.Connection,
    principal: Principal | None,
    *,
    action: str,
    entity: str,
    entity_id: object,
    mission_id: uuid.UUID | None,
    before: Any = None,
    after: Any = None,
) -> None:
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    await conn.execute(
        """INSERT INTO audit_log (actor, role, mission_id, action, entity, entity_id, before, after, request_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        principal.user if principal else "system",
        principal.role if principal else "system",
        mission_id,
        action,
        entity,
        str(entity_id),
        _jsonable(before),
        _jsonable(after),
        request_id,
    )


READ_ACTION = "patient_details.read"


async def record_reads(
    conn: asyncpg.Connection,
    principal: Principal,
    reads: list[tuple[str, object, uuid.UUID | None]],
    *,
    purpose: str,
) -> None:
    """One row per resource whose patient details were shown: (entity, id, mission), and why."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    await conn.executemany(
        """INSERT INTO audit_log (actor, role, mission_id, action, entity, entity_id, after, request_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
        [(principal.user, principal.role, mission_id, READ_ACTION, entity, str(entity_id), {"purpose": purpose},
          request_id) for entity, entity_id, mission_id in reads],
    )
