"""Patient details: who may see them, and an audit row for every time they are shown.

Names (MIST-AT `patient`), MIST-AT notes and the radio text are for the people who move or
treat the casualty: dispatchers, field medics, clinicians and admins. Observers (HQ) see the
same records with those fields emptied (counts, times and precedence stay: the aggregates);
specialists see patients only through the consults offered to them. Consult questions,
summaries and chat are already confined to the consult's parties (medevac/telemed/access.py);
reading them is audited here too.
"""

import json
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import asyncpg
from aiohttp import web
from pydantic import BaseModel

from medevac import audit
from medevac.auth import Principal
from medevac.errors import Problem

PATIENT_READERS = frozenset({"dispatcher", "field", "clinician", "admin"})
# The read-back is the whole 9-line spoken back, free text included: withheld like the radio text.
PATIENT_KEYS = frozenset({"mist", "mist_at", "raw_text", "readback"})
# Free text an operator types into the 9-line, wherever it sits (`nine_line.wounds`, the request's
# `nationality` made from line 8's note): "1 GSW CHEST PTE JOHN SMITH" is a name whatever the field.
# Blanked when it holds text; the same key holding codes and counts (line 8's groups) stays.
FREE_TEXT_KEYS = frozenset({"wounds", "nationality_note", "nationality", "terrain", "description", "detail"})
Model = TypeVar("Model", bound=BaseModel)
NESTED = (dict, list, BaseModel)


def _free_text(key: str, value: Any) -> bool:
    return key in FREE_TEXT_KEYS and isinstance(value, str)


def stripped(value: Any) -> Any:
    """The value with every patient-detail member emptied (kept as null, so schemas still hold): the
    one projection for those who may not see patient details, over REST and live events alike."""
    if isinstance(value, dict):
        return {k: None if k in PATIENT_KEYS or _free_text(k, v) else stripped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stripped(v) for v in value]
    return value


def carries(value: Any) -> bool:
    if isinstance(value, BaseModel):  # its fields as they are: no dump of a whole board page to look
        value = value.__dict__
    if isinstance(value, dict):
        for k, v in value.items():
            if (k in PATIENT_KEYS and v not in (None, [], {})) or _free_text(k, v):
                return True
            if isinstance(v, NESTED) and carries(v):  # scalars skipped without a call: pages are long
                return True
        return False
    if isinstance(value, list):
        return any(carries(v) for v in value if isinstance(v, NESTED))
    return False


def _own_id(model: Any) -> tuple[object, object]:
    return model.id, model.mission_id


def shows(models: list, *, entity: str, ident: Callable[[Any], tuple[object, object]] = _own_id) -> list[tuple]:
    """The (entity, id, mission) reads of patient details that showing these models whole means
    (`ident` gives the resource's id and mission)."""
    return [(entity, *ident(m)) for m in models if carries(m)]


def visible(principal: Principal, models: list[Model], *, entity: str,
            ident: Callable[[Model], tuple[object, object]] = _own_id) -> tuple[list[Model], list[tuple]]:
    """The models as this principal may see them, and the reads of patient details that means."""
    if principal.role not in PATIENT_READERS:
        return [type(m).model_validate(stripped(m.model_dump(mode="json"))) for m in models], []
    return models, shows(models, entity=entity, ident=ident)


async def shown(conn: asyncpg.Connection, principal: Principal, models: list[Model], *, entity: str,
                purpose: str, ident: Callable[[Model], tuple[object, object]] = _own_id) -> list[Model]:
    """The models as this principal may see them; each that shows patient details is audited."""
    models, reads = visible(principal, models, entity=entity, ident=ident)
    if reads:
        await audit.record_reads(conn, principal, reads, purpose=purpose)
    return models


async def read(conn: asyncpg.Connection, principal: Principal, entity: str, resources: list[tuple[object, object]],
               *, purpose: str) -> None:
    """Audit reads of patient details the route already confined to the people entitled:
    one row per (id, mission) shown."""
    if resources:
        await audit.record_reads(conn, principal, [(entity, *r) for r in resources], purpose=purpose)


async def problem_shown(conn: asyncpg.Connection, principal: Principal, problem: Problem) -> None:
    """An error body as this principal may see it: a 409's `current` state stripped of patient
    details, or shown whole and audited (in its own transaction: the change itself rolled back)."""
    if principal.role not in PATIENT_READERS:
        problem.extra = stripped(problem.extra)
    elif problem.shows:
        await audit.record_reads(conn, principal, problem.shows, purpose="dispatch")


async def replayed(conn: asyncpg.Connection, principal: Principal, response: web.Response, *, entity: str,
                   purpose: str, always: bool = False) -> None:
    """Audit an idempotent replay, a stored response shown again, when it shows patient details
    (`always`: the entity's every showing is a read, as for consults)."""
    body = json.loads(response.text) if response.status < 300 and response.text else None
    if isinstance(body, dict) and "mission_id" in body and (always or carries(body)):
        await audit.record_reads(conn, principal, [(entity, body["id"], uuid.UUID(body["mission_id"]))],
                                 purpose=purpose)


class EventView:
    """Live events as each role may see them (SSE). Whether an event carries patient details,
    and its stripped frame, are worked out once per event, not once per connected console; a
    batch's frames once per batch and kind of reader, since consoles following one mission are
    handed the same batches."""

    def __init__(self, size: int = 4096) -> None:
        # (seq, at, entity id) → stripped frame, or None if nothing to strip; not seq alone:
        # several apps on several databases may share this process (tests), and their seqs collide.
        self._stripped: OrderedDict[tuple, bytes | None] = OrderedDict()
        # (first, last, count, reader) → (frames, reads shown). A batch is a run of a stream's events
        # without gaps, so its ends and its length tell it apart from any other stream's batch.
        self._batches: OrderedDict[tuple, tuple[bytes, list]] = OrderedDict()
        self._size = size

    @staticmethod
    def _ident(event: Any) -> tuple:
        return event.seq, event.at, event.entity_id

    def _stripped_frame(self, event: Any) -> bytes | None:
        key = self._ident(event)
        if key not in self._stripped:
            self._stripped[key] = replace(event, payload=stripped(event.payload)).frame \
                if carries(event.payload) else None
            _trim(self._stripped, self._size)
        return self._stripped[key]

    def _batch(self, events: list[Any], reader: bool) -> tuple[bytes, list]:
        key = (self._ident(events[0]), self._ident(events[-1]), len(events), reader)
        found = self._batches.get(key)
        if found is None:
            withheld = [self._stripped_frame(e) for e in events]
            if reader:
                found = (b"".join(e.frame for e in events),
                         [(e.entity, e.entity_id, e.mission_id) for e, w in zip(events, withheld) if w is not None])
            else:
                found = (b"".join(w or e.frame for e, w in zip(events, withheld)), [])
            self._batches[key] = found
            _trim(self._batches, self._size)
        return found

    async def frames(self, reads: audit.ReadBatcher, principal: Principal, events: list[Any]) -> bytes:
        """The events' SSE frames for this principal: stripped, or shown whole and audited."""
        frames, shown = self._batch(events, principal.role in PATIENT_READERS)
        if shown:
            await reads.record(principal, shown, purpose="live events")
        return frames


def _trim(kept: OrderedDict, size: int) -> None:
    if len(kept) > size:
        kept.popitem(last=False)
