"""Consult attachments: images and PDFs, typed by their magic bytes, stored with the consult."""

import hashlib
import uuid

import asyncpg
from aiohttp import web

from medevac.http import bodies
from medevac.errors import FieldError, Problem

# The file's first bytes decide its type; the declared Content-Type must agree.
SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/webp", b"WEBP", 8),
    ("application/pdf", b"%PDF-", 0),
)
COLUMNS = "id, consult_id, uploaded_by, media_type, filename, size_bytes, encode(sha256, 'hex') AS sha256, created_at"


def sniff(content: bytes) -> str | None:
    for media_type, magic, offset in SIGNATURES:
        if content[offset:offset + len(magic)] == magic and (media_type != "image/webp" or content[:4] == b"RIFF"):
            return media_type
    return None


def _unsupported(detail: str) -> Problem:
    return Problem(415, "Unsupported media type", detail,
                   [FieldError("Content-Type", "images (JPEG, PNG, WebP) and PDF only")])


async def read_upload(request: web.Request, limit: int) -> tuple[str, bytes]:
    """The body (already read in full by the route, within `limit`) and its checked media type."""
    declared = request.content_type
    if declared not in {s[0] for s in SIGNATURES}:
        raise _unsupported(f"{declared or 'no type'} is not accepted")
    content = await bodies.read_body(request, limit)
    if not content:
        raise Problem(422, "Invalid request", "body: empty attachment", [FieldError("body", "empty")])
    actual = sniff(content)
    if actual != declared:
        raise _unsupported(f"declared {declared} but the content is {actual or 'not an accepted type'}")
    return declared, content


async def create(conn: asyncpg.Connection, consult_id: uuid.UUID, user: str, media_type: str,
                 filename: str | None, content: bytes) -> dict:
    row = await conn.fetchrow(
        f"""INSERT INTO consult_attachments (id, consult_id, uploaded_by, media_type, filename, size_bytes,
                sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}""",
        uuid.uuid4(), consult_id, user, media_type, filename, len(content),
        hashlib.sha256(content).digest(), content)
    return dict(row)


async def get(conn: asyncpg.Connection, consult_id: uuid.UUID, attachment_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT media_type, filename, content FROM consult_attachments WHERE id = $1 AND consult_id = $2",
        attachment_id, consult_id)


async def exists(conn: asyncpg.Connection, consult_id: uuid.UUID, attachment_id: uuid.UUID) -> bool:
    return await conn.fetchval("SELECT EXISTS (SELECT 1 FROM consult_attachments WHERE id = $1 AND consult_id = $2)",
                               attachment_id, consult_id)
