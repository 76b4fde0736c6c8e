"""The consult record over plain HTTP: message history, store-and-forward posting, attachments.

For links too poor for a websocket, and for routine consults answered hours later.
"""

import uuid
from pathlib import PurePosixPath

from aiohttp import web
from pydantic import Field

from medevac import privacy
from medevac.errors import conflict, invalid, not_found
from medevac.keys import settings_key
from medevac.models import Strict
from medevac.telemed import access, attachments, chat
from medevac.telemed.session_frames import MAX_TEXT, OPEN_FOR_CHAT, observe_first_reply
from medevac.http.web import Call, RouteTable

routes = RouteTable("consult sessions")
PARTIES = frozenset({"clinician", "specialist"})


class HistoryQuery(Strict):
    after: int = Field(0, ge=0, le=2**31 - 1, description="messages after this sequence number")
    limit: int = Field(200, ge=1, le=500)


class MessageBody(Strict):
    client_id: str = Field(min_length=1, max_length=100, description="the client's id: a retry is not stored twice")
    text: str = Field("", max_length=MAX_TEXT)
    attachment_id: uuid.UUID | None = None


@routes.get("/v1/consults/{consult_id}/messages", summary="Messages after a sequence number, in order",
            roles=PARTIES, query=HistoryQuery)
async def list_messages(call: Call) -> dict:
    consult, party = await access.party_consult(call)
    items = await chat.since(call.conn, consult.id, call.query.after, call.query.limit)
    await privacy.read(call.conn, call.principal, "consult_chat", [(consult.id, consult.mission_id)],
                       purpose="teleconsult")
    return {"items": items, "last_seq": consult.last_seq, "reads": await chat.reads(call.conn, consult.id)}


@routes.post("/v1/consults/{consult_id}/messages", summary="Post a message without a websocket",
             roles=PARTIES, body=MessageBody, status=201)
async def post_message(call: Call) -> dict:
    consult, party = await access.party_consult(call)
    body: MessageBody = call.body
    if consult.status not in OPEN_FOR_CHAT:
        raise conflict(f"the consult is {consult.status}", consult_status=consult.status)
    if not body.text and body.attachment_id is None:
        raise invalid("text", "text or attachment_id is required")
    if body.attachment_id and not await attachments.exists(call.conn, consult.id, body.attachment_id):
        raise invalid("attachment_id", "no such attachment on this consult")
    now = access.utcnow()
    message, new = await chat.post(call.conn, consult.mission_id, consult.id, client_id=body.client_id,
                                   sender=call.principal.user, party=party, text=body.text,
                                   attachment_id=body.attachment_id, now=now)
    if new and party == "specialist":
        observe_first_reply(call.request.app, consult, now)
    return message | {"duplicate": not new}


def safe_filename(name: str | None) -> str | None:
    """The last path component only, without control characters: a label, never a path."""
    if name is None:
        return None
    base = "".join(c for c in PurePosixPath(name.replace("\\", "/")).name if c.isprintable())[:200]
    return None if base.strip(".") == "" else base


@routes.post("/v1/consults/{consult_id}/attachments",
             summary="Upload an image (JPEG, PNG, WebP) or PDF as the raw body; its bytes must match its type",
             roles=PARTIES, status=201, extra_responses={413: "too large", 415: "not an image or PDF"},
             raw_body={media: bytes for media in ("image/jpeg", "image/png", "image/webp", "application/pdf")},
             body_limit="telemed_attachment_max_bytes")
async def upload_attachment(call: Call) -> dict:
    consult, _ = await access.party_consult(call)
    limit = call.request.app[settings_key].telemed_attachment_max_bytes
    media_type, content = await attachments.read_upload(call.request, limit)
    return await attachments.create(call.conn, consult.id, call.principal.user, media_type,
                                    safe_filename(call.request.headers.get("X-Filename")), content)


@routes.get("/v1/consults/{consult_id}/attachments/{attachment_id}", summary="Download an attachment",
            roles=PARTIES)
async def download_attachment(call: Call) -> web.Response:
    consult, _ = await access.party_consult(call)
    attachment_id = call.uuid_param("attachment_id", "attachment")
    row = await attachments.get(call.conn, consult.id, attachment_id)
    if row is None:
        raise not_found("attachment", attachment_id)
    await privacy.read(call.conn, call.principal, "consult_attachment", [(attachment_id, consult.mission_id)],
                       purpose="teleconsult")
    return web.Response(body=row["content"], content_type=row["media_type"], headers={
        "Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})
