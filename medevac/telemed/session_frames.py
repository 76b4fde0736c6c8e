"""What a party may send on a consult websocket, and what the server answers.

Client → server: `message` {client_id, text, attachment_id?}, `read` {seq},
`signal` {signal: {kind: offer|answer|ice|bye, ...}}, `turn` {}.
Server → client: `welcome`, `message`, `ack` {client_id, seq, duplicate}, `read`, `signal`,
`turn`, `status`, `error` {code, detail, client_id?}.
"""

import json
import uuid
from datetime import datetime
from typing import Protocol

import asyncpg
from aiohttp import web

from medevac.keys import settings_key
from medevac.telemed.broker import broker_key
from medevac.telemed import access, attachments, chat
from medevac.telemed.metrics import elapsed_s
from medevac.telemed.model import Consult
from medevac.telemed.signalling import ice_servers, signal_problem
from medevac.http.web import MAX_DEPTH, text_problem, unstorable


class Session(Protocol):
    """What a frame handler needs of the websocket session (`medevac.telemed.session.Session`),
    declared here so the two modules do not import each other."""

    app: web.Application
    pool: asyncpg.Pool
    consult: Consult
    party: str
    user: str


MAX_TEXT = 8000
OPEN_FOR_CHAT = frozenset({"unmatched", "offered", "broadcast", "accepted"})


class FrameError(Exception):
    def __init__(self, code: str, detail: str, client_id: str | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.client_id = code, detail, client_id

    def frame(self) -> dict:
        out = {"type": "error", "code": self.code, "detail": self.detail}
        if self.client_id is not None:
            out["client_id"] = self.client_id
        return out


def _frame(raw: str) -> dict:
    try:
        frame = json.loads(raw)
    except json.JSONDecodeError:
        raise FrameError("malformed", "not JSON") from None
    except RecursionError:  # the parser's own depth limit (about a thousand levels)
        raise FrameError("malformed", f"nested too deeply (at most {MAX_DEPTH} levels)") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise FrameError("malformed", "a frame is an object with a string `type`")
    bad = unstorable(frame)  # before anything stores it: PostgreSQL text holds neither NUL nor surrogates
    if bad is not None:
        raise FrameError("invalid", f"{bad.field}: {bad.message}", _client_id(frame))
    return frame


def _client_id(frame: dict) -> str | None:
    client_id = frame.get("client_id")
    return client_id if isinstance(client_id, str) and text_problem(client_id) is None else None


async def handle_frame(session: "Session", raw: str) -> dict | None:
    frame = _frame(raw)
    handler = HANDLERS.get(frame["type"])
    if handler is None:
        raise FrameError("unknown_type", f"type must be one of {', '.join(sorted(HANDLERS))}")
    return await handler(session, frame)


def _attachment_id(frame: dict, client_id: str) -> uuid.UUID | None:
    raw = frame.get("attachment_id")
    if raw is None:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise FrameError("invalid", "attachment_id: not an id", client_id) from None


async def on_message(session: "Session", frame: dict) -> dict:
    client_id, text = frame.get("client_id"), frame.get("text", "")
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 100:
        raise FrameError("invalid", "client_id: a string of 1-100 characters is required")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise FrameError("invalid", f"text: a string of at most {MAX_TEXT} characters", client_id)
    attachment_id = _attachment_id(frame, client_id)
    if not text and attachment_id is None:
        raise FrameError("invalid", "text or attachment_id is required", client_id)
    message, new = await post(session, client_id, text, attachment_id)
    return {"type": "ack", "client_id": client_id, "seq": message["seq"], "duplicate": not new}


async def post(session: "Session", client_id: str, text: str, attachment_id: uuid.UUID | None) -> tuple[dict, bool]:
    """Store one message in the consult's order; the first specialist message is timed."""
    consult, now = session.consult, access.utcnow()
    async with session.pool.acquire() as conn, conn.transaction():
        current = await access.load(conn, consult.id)
        if current.status not in OPEN_FOR_CHAT:
            raise FrameError("consult_ended", f"the consult is {current.status}", client_id)
        if attachment_id and not await attachments.exists(conn, consult.id, attachment_id):
            raise FrameError("invalid", "attachment_id: no such attachment on this consult", client_id)
        message, new = await chat.post(conn, consult.mission_id, consult.id, client_id=client_id,
                                       sender=session.user, party=session.party, text=text,
                                       attachment_id=attachment_id, now=now)
    if new and session.party == "specialist":
        observe_first_reply(session.app, current, now)
    return message, new


def observe_first_reply(app, consult: Consult, now: datetime) -> None:
    if consult.first_specialist_message_at is None:
        broker = app[broker_key]
        broker.metrics.time_to_first_specialist_message.labels(*broker.labels(consult)).observe(
            elapsed_s(consult.created_at, now))


async def on_read(session: "Session", frame: dict) -> None:
    seq = frame.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise FrameError("invalid", "seq: a message sequence number is required")
    async with session.pool.acquire() as conn, conn.transaction():
        last = (await access.load(conn, session.consult.id)).last_seq
        if seq > last:
            raise FrameError("invalid", f"seq: only {last} messages exist")
        await chat.mark_read(conn, session.consult.mission_id, session.consult.id, session.party, seq)
    return None  # the `read` event comes back to both parties through the hub


async def on_signal(session: "Session", frame: dict) -> None:
    signal = frame.get("signal")
    problem = signal_problem(signal)
    if problem:
        raise FrameError("invalid", problem)
    async with session.pool.acquire() as conn, conn.transaction():
        if (await access.load(conn, session.consult.id)).status != "accepted":
            raise FrameError("not_in_session", "calls need an accepted, open consult")
        other = "specialist" if session.party == "clinician" else "clinician"
        await chat.add_signal(conn, session.consult.mission_id, session.consult.id, other, signal)
    return None


async def on_turn(session: "Session", frame: dict) -> dict:
    settings = session.app[settings_key]
    return {"type": "turn", "ice_servers": ice_servers(settings, session.user, access.utcnow())}


HANDLERS = {"message": on_message, "read": on_read, "signal": on_signal, "turn": on_turn}
