"""The requests board (`GET /v1/evac-requests`): pages built from rows kept as JSON.

A row is read, checked for patient details and encoded once per version of it (its fingerprint,
medevac/dispatch/requests/store.py) and kind of reader; a page costs one light query plus the
rows that are new or changed since.
"""

import uuid

import asyncpg

from medevac import privacy
from medevac.auth import Principal
from medevac.http.boards import Fragment, Fragments, Reads, page_json
from medevac.dispatch.requests import store
from medevac.models import encode_cursor

ENTITY = "evac_request"


async def page(conn: asyncpg.Connection, principal: Principal, fragments: Fragments, mission_id: uuid.UUID | None,
               *, status: str | None, after: uuid.UUID | None, limit: int) -> tuple[bytes, Reads]:
    """The page's JSON as this principal may see it, and the patient-details reads it shows."""
    versions = await store.page_versions(conn, mission_id, status=status, after=after, limit=limit + 1)
    more, versions = len(versions) > limit, versions[:limit]
    reader = principal.role in privacy.PATIENT_READERS
    keys = {request_id: (ENTITY, request_id, fingerprint, reader) for request_id, fingerprint in versions}
    missing = [request_id for request_id, key in keys.items() if fragments.get(key) is None]
    if missing:
        models, reads = privacy.visible(principal, await store.get_many(conn, missing), entity=ENTITY)
        read_of = {read[1]: read for read in reads}  # the rows that show patient details
        for model in models:
            fragments.put(keys[model.id], Fragment(model.model_dump_json().encode(), read_of.get(model.id)))
    shown = [found for key in keys.values() if (found := fragments.get(key)) is not None]  # gone: not shown
    cursor = encode_cursor(versions[-1][0]) if more and versions else None
    return page_json([f.json for f in shown], cursor), [f.read for f in shown if f.read is not None]
