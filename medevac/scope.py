"""Mission scope on relationships, not only on rows: what a principal may link a resource to.

A token scoped to one mission links only to that mission (its specialists serve only it, its
resources name only its facilities). Linking across missions is a global admin's act, and the
change is audited under every mission it touches, so each can see it and have it undone.
"""

import uuid
from collections.abc import Iterable
from typing import Any

import asyncpg

from medevac.auth import Principal
from medevac.errors import DomainError, FieldError, forbidden
from medevac.events import record_change
from medevac.facilities import store as facilities


def require_global_admin(principal: Principal, act: str) -> None:
    if principal.role != "admin" or principal.mission_id is not None:
        raise forbidden(f"only an admin whose token spans every mission may {act}")


async def require_links(conn: asyncpg.Connection, principal: Principal, wanted: list[uuid.UUID], field: str, *,
                        current: Iterable[uuid.UUID] = ()) -> None:
    """The missions a resource is to link to: each one added or removed is the token's own (or the
    token spans every mission), and each one added exists; `field.N` names the first unknown."""
    current = set(current)
    if any(not principal.can_see(m) for m in set(wanted) ^ current):
        raise forbidden(f"{field}: linking to another mission is a global admin's act")
    added = [(index, m) for index, m in enumerate(wanted) if m not in current]
    known = {r["id"] for r in await conn.fetch("SELECT id FROM missions WHERE id = ANY($1)", [m for _, m in added])}
    for index, mission_id in added:
        if mission_id not in known:
            raise DomainError(f"{field}: no mission {mission_id}", [FieldError(f"{field}.{index}", "no such mission")])


async def require_facility(conn: asyncpg.Connection, facility_id: uuid.UUID | None, field: str, *,
                           missions: Iterable[uuid.UUID | None]) -> None:
    """The facility exists in one of the missions the resource belongs to (else 422 naming the field)."""
    if facility_id is None:
        return
    found = await facilities.get(conn, facility_id)
    if found is None or found.mission_id not in set(missions):
        raise DomainError(f"{field}: no facility {facility_id} in this mission",
                          [FieldError(field, "no such facility in this mission")])


async def record_linked_change(conn: asyncpg.Connection, principal: Principal, missions: Iterable[uuid.UUID], *,
                               event: str, entity: str, entity_id: object, before: Any = None,
                               after: Any = None) -> None:
    """Audit (and announce) one change under each mission it touches, home mission first."""
    for mission_id in dict.fromkeys(missions):
        await record_change(conn, principal, event=event, entity=entity, entity_id=entity_id,
                            mission_id=mission_id, before=before, after=after)
