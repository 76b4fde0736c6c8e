"""Secrets never reach the logs: tokens (header and ?access_token=), DB passwords, TURN secrets
and minted TURN credentials, across a real `medevac serve` with logs at info."""

import asyncio
import json
import uuid
from urllib.parse import urlsplit

import aiohttp

from medevac.observability import Redactor

from tests import factories

from .conftest import DB_PASSWORD, TURN_SECRET


def secret_of(headers: dict) -> str:
    return factories.secret(headers)


async def test_a_session_of_calls_leaves_no_secret_in_the_service_log(live_server, live_world):
    tokens = {role: secret_of(h) for role, h in live_world.headers.items()}
    consult = live_world.ids["consult_id"]
    async with aiohttp.ClientSession(base_url=live_server.url) as http:
        for role, secret in tokens.items():  # header and query-string tokens
            assert (await http.get("/v1/session", headers=factories.bearer(secret))).status == 200
            async with http.get("/v1/events", params={"access_token": secret}) as stream:
                assert stream.status == 200
        assert (await http.get("/v1/assets", params={"access_token": "mdv_guessed-token-xyz"})).status == 401
        ws = await http.ws_connect(f"/v1/consults/{consult}/ws", params={"access_token": tokens["clinician"]})
        welcome = json.loads((await ws.receive()).data)
        await ws.close()
        inbox = await http.ws_connect("/v1/telemed/inbox/ws", params={"access_token": tokens["specialist"]})
        await inbox.close()
    [turn] = [s for s in welcome["ice_servers"] if s.get("credential")]
    output = live_server.output()
    assert '"http.request"' in output  # the log was really captured
    leaked = {name: value for name, value in {
        **tokens, "guessed": "mdv_guessed-token-xyz", "db password": DB_PASSWORD, "turn secret": TURN_SECRET,
        "turn credential": turn["credential"]}.items() if value in output}
    assert not leaked, f"in the log: {sorted(leaked)}"


def test_the_redactor_masks_secrets_in_messages_and_exception_text():
    redact = Redactor(["static-turn-secret"])
    event = redact(None, "error", {
        "event": "http.unhandled_error", "url": "/v1/events?mission=x&access_token=abc.def",
        "exception": "ConnectionError: postgresql://medevac:hunter2@db:5432/medevac refused; "
                     "Authorization: Bearer mdv_AbC-123_x; turn static-turn-secret",
        "nested": {"dsn": "postgres://u:p@h/db?password=pw2"}})
    text = json.dumps(event)
    for secret in ("abc.def", "hunter2", "mdv_AbC-123_x", "static-turn-secret", "u:p@", "pw2"):
        assert secret not in text, secret
    assert "mission=x" in text and "db:5432" in text  # what is not secret stays readable


async def raw_exchange(url: str, request: bytes) -> bytes:
    """Send bytes as they are (aiohttp's client refuses to send most of these) and read the answer."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(request)
    await writer.drain()
    answer = await reader.read(200)
    writer.close()
    return answer


def hostile_requests(secret: str, decoy: str, consult: str) -> list[bytes]:
    """Requests that carry a token where a parser chokes on it, or where the service might echo it."""
    head = "Host: medevac\r\n"
    lines = [
        f"GET /v1/assets HTTP/1.1\r\n{head}Authorization: Bearer {secret}\x01x\r\n\r\n",
        f"GET /v1/assets HTTP/1.1\r\n{head}Authorization: Bearer {secret}\x7f\r\n\r\n",
        f"GET /v1/assets HTTP/1.1\r\n{head}Authorization: Bearer {decoy}\x00\r\n\r\n",
        f"GET /v1/assets?access_token={secret}\x01 HTTP/1.1\r\n{head}\r\n",
        f"GET /v1/assets?access_token={decoy}\x1b HTTP/1.1\r\n{head}\r\n",
        f"GET /v1/assets?access_token={secret}%01 HTTP/1.1\r\n{head}\r\n",
        f"GET /v1/assets/{secret}\x02 HTTP/1.1\r\n{head}\r\n",
        f"GET /v1/events HTTP/1.1\r\n{head}Authorization: Bearer {secret}\r\nLast-Event-ID: {decoy}\r\n\r\n",
        f"GET /v1/assets HTTP/1.1\r\n{head}Authorization: Bearer {secret}\r\nX-Request-ID: {secret}\r\n\r\n",
        f"GET /v1/assets HTTP/1.1\r\n{head}Authorization: Bearer {secret}\r\nX-Request-ID: {decoy}:\r\n\r\n",
        f"GET /v1/assets HTTP/1.1\r\n{head}Authorization: Bearer {secret}{'A' * 9000}\r\n\r\n",
        f"GET /v1/assets?access_token={decoy}{'B' * 9000} HTTP/1.1\r\n{head}\r\n",
        f"GET /v1/consults/{consult}/ws?access_token={secret}\x03 HTTP/1.1\r\n{head}Upgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        f"POST /v1/evac-requests HTTP/1.1\r\n{head}Authorization: Bearer {secret}\r\nContent-Type: text/plain\r\n"
        f"Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n{decoy}",
        f"GET /v1/assets HTTP/1.1\r\n{head}Authorization: Bearer {secret}\r\n X-Folded: {decoy}\r\n\r\n",
    ]
    return [line.encode("latin-1") for line in lines]


async def test_a_hostile_run_leaves_no_token_in_the_service_log(live_server, live_world):
    """Tokens where parsers choke (control characters, over-long lines, smuggling headers): the
    service answers no 5xx and no log line holds any token or decoy secret it was sent."""
    consult = live_world.ids["consult_id"]
    used: dict[str, str] = {}
    for role, headers in live_world.headers.items():
        secret, decoy = secret_of(headers), f"decoy-{role}-{uuid.uuid4().hex}"
        used[role], used[f"{role} decoy"] = secret, decoy
        for request in hostile_requests(secret, decoy, consult):
            answer = await raw_exchange(live_server.url, request)
            assert not answer.startswith((b"HTTP/1.0 5", b"HTTP/1.1 5")), (request[:80], answer)
    async with aiohttp.ClientSession(base_url=live_server.url) as http:  # the log has caught up with us
        assert (await http.get("/readyz")).status == 200
    output = live_server.output()
    assert '"http.request"' in output
    leaked = sorted(name for name, value in used.items() if value in output)
    assert not leaked, f"in the log: {leaked}"
    assert "Traceback" not in output
