"""Secrets never reach the logs: tokens (header and ?access_token=), DB passwords, TURN secrets
and minted TURN credentials, across a real `medevac serve` with logs at info."""

import json

import aiohttp

from medevac.observability import Redactor

from .conftest import DB_PASSWORD, TURN_SECRET


def secret_of(headers: dict) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_a_session_of_calls_leaves_no_secret_in_the_service_log(live_server, live_world):
    tokens = {role: secret_of(h) for role, h in live_world.headers.items()}
    consult = live_world.ids["consult_id"]
    async with aiohttp.ClientSession(base_url=live_server.url) as http:
        for role, secret in tokens.items():  # header and query-string tokens
            assert (await http.get("/v1/session", headers={"Authorization": f"Bearer {secret}"})).status == 200
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
