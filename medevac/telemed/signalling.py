"""WebRTC support: TURN credentials (coturn's shared-secret REST scheme) and signal checks."""

import base64
import hashlib
import hmac
import json
from datetime import datetime
from urllib.parse import urlsplit

from aiohttp import web

from medevac.config import Settings
from medevac.errors import forbidden

SIGNAL_KINDS = frozenset({"offer", "answer", "ice", "bye"})
MAX_SIGNAL_BYTES = 16_384  # an SDP with many codecs fits; a smuggled payload does not


def ice_servers(settings: Settings, user: str, now: datetime) -> list[dict]:
    """TURN credentials valid for `turn_ttl_s`: username "expiry:user", password HMAC-SHA1 of it."""
    if not settings.turn_urls:
        return []
    if settings.turn_secret is None:
        return [{"urls": settings.turn_urls}]  # STUN only
    expiry = int(now.timestamp()) + settings.turn_ttl_s
    username = f"{expiry}:{user}"
    digest = hmac.new(settings.turn_secret.get_secret_value().encode(), username.encode(), hashlib.sha1).digest()
    return [{"urls": settings.turn_urls, "username": username, "credential": base64.b64encode(digest).decode(),
             "ttl": settings.turn_ttl_s}]


def check_origin(request: web.Request, settings: Settings) -> None:
    """Refuse a browser handshake from another site (cross-site websocket hijacking)."""
    origin = request.headers.get("Origin")
    if origin is None or origin in settings.allowed_origins:
        return  # non-browser clients send no Origin
    if urlsplit(origin).netloc != request.host:
        raise forbidden(f"websocket from origin {origin} refused")


def signal_problem(signal: object) -> str | None:
    """Why a client's signal cannot be relayed, or None."""
    if not isinstance(signal, dict) or signal.get("kind") not in SIGNAL_KINDS:
        return f"signal.kind must be one of {', '.join(sorted(SIGNAL_KINDS))}"
    if len(json.dumps(signal)) > MAX_SIGNAL_BYTES:
        return f"signal larger than {MAX_SIGNAL_BYTES} bytes"
    return None
