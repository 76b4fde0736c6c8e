"""Who may see a consult, and who are its two parties.

The parties are the requesting clinician and the specialist who accepted. An offered
specialist may read the consult to decide; a mission admin may read it to oversee. The
chat, attachments and signalling belong to the parties alone.
"""

import uuid
from datetime import datetime, timezone

import asyncpg

from medevac.auth import Principal
from medevac.errors import forbidden, not_found
from medevac.telemed import consults, specialists
from medevac.telemed.model import Consult, Specialist
from medevac.http.web import Call


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


async def acting_specialist(conn: asyncpg.Connection, principal: Principal) -> Specialist:
    """The specialist record behind a specialist token, or 403."""
    found = await specialists.for_user(conn, principal.user) if principal.role == "specialist" else None
    if found is None:
        raise forbidden("no specialist is registered for this user")
    return found


async def party_of(conn: asyncpg.Connection, consult: Consult, principal: Principal) -> str | None:
    if principal.role == "clinician" and principal.user == consult.requested_by:
        return "clinician"
    if principal.role == "specialist" and consult.specialist_id is not None:
        found = await specialists.for_user(conn, principal.user)
        if found is not None and found.id == consult.specialist_id:
            return "specialist"
    return None


async def was_offered(conn: asyncpg.Connection, consult_id: uuid.UUID, principal: Principal) -> bool:
    if principal.role != "specialist":
        return False
    return await conn.fetchval(
        """SELECT EXISTS (SELECT 1 FROM consult_offers o JOIN specialists s ON s.id = o.specialist_id
                          WHERE o.consult_id = $1 AND s.user_id = $2)""", consult_id, principal.user)


async def load(conn: asyncpg.Connection, consult_id: uuid.UUID, *, for_update: bool = False) -> Consult:
    found = await consults.get(conn, consult_id, for_update=for_update)
    if found is None:
        raise not_found("consult", consult_id)
    return found


async def readable_consult(call: Call, *, for_update: bool = False) -> Consult:
    """The consult named in the path, if this principal may read it (404 if not even its mission)."""
    consult = await load(call.conn, call.uuid_param("consult_id", "consult"), for_update=for_update)
    p = call.principal
    if await party_of(call.conn, consult, p) or await was_offered(call.conn, consult.id, p):
        return consult
    if not p.can_see(consult.mission_id):
        raise not_found("consult", consult.id)
    if p.role == "admin":
        return consult
    raise forbidden("only the consult's parties may read it")


async def answerable_consult(call: Call) -> Consult:
    """The consult a specialist accepts or declines, locked: 404 unless it was offered to them or is
    in their token's mission, so another mission's consult does not even show its status."""
    consult = await load(call.conn, call.uuid_param("consult_id", "consult"), for_update=True)
    if not call.principal.can_see(consult.mission_id) and not await was_offered(call.conn, consult.id, call.principal):
        raise not_found("consult", consult.id)
    return consult


async def party_consult(call: Call, *, for_update: bool = False) -> tuple[Consult, str]:
    """The consult and the caller's side of it, for chat and attachments; 403 for anyone else."""
    consult = await load(call.conn, call.uuid_param("consult_id", "consult"), for_update=for_update)
    party = await party_of(call.conn, consult, call.principal)
    if party is None:
        raise forbidden("only the requesting clinician and the accepting specialist take part")
    return consult, party
