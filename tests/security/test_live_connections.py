"""Event streams and websockets over real sockets: capped per token and per address (429 with
Retry-After before the stream starts), ended when their token is revoked or expires, and a bad
Last-Event-ID refused before any stream begins."""

import aiohttp
import pytest
from aiohttp import WSMsgType

from medevac.auth import hash_secret
from tests import factories
from tests.conftest import SseReader

CAPS = {"MEDEVAC_LIVE_PER_TOKEN_MAX": "3", "MEDEVAC_LIVE_PER_ADDRESS_MAX": "5"}
ENDED = (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED)


async def refused_as_too_many(response) -> None:
    assert response.status == 429, await response.text()
    assert response.content_type == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert "live connections" in (await response.json())["detail"]


@pytest.mark.parametrize("live_env", [CAPS])
async def test_live_connections_are_capped_per_token_and_per_address(live_server, live_world):
    h, consult = live_world.headers, live_world.ids["consult_id"]
    async with aiohttp.ClientSession(base_url=live_server.url) as http:
        streams = [await http.get("/v1/events", headers=h["dispatcher"]) for _ in range(3)]
        assert [s.status for s in streams] == [200] * 3
        await refused_as_too_many(await http.get("/v1/events", headers=h["dispatcher"]))  # the token's 4th
        sockets = [await http.ws_connect(f"/v1/consults/{consult}/ws", headers=h["clinician"]) for _ in range(2)]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:  # this address's 6th
            await http.ws_connect("/v1/telemed/inbox/ws", headers=h["specialist"])
        assert refused.value.status == 429 and int(refused.value.headers["Retry-After"]) > 0
        await sockets[0].close()  # a closed socket frees its slot
        inbox = await http.ws_connect("/v1/telemed/inbox/ws", headers=h["specialist"])
        assert (await inbox.receive_json())["type"] == "welcome"
        for open_one in (*sockets[1:], inbox):
            await open_one.close()
        for stream in streams:
            stream.close()


async def ends_with_1008(ws) -> None:
    while (msg := await ws.receive(timeout=15)).type not in ENDED:
        pass
    assert (msg.type, msg.data) == (WSMsgType.CLOSE, 1008), msg  # policy violation: no reconnect hint


async def test_revocation_and_expiry_end_open_streams_and_sockets(live_server, live_world, db):
    h, consult = live_world.headers, live_world.ids["consult_id"]
    async with aiohttp.ClientSession(base_url=live_server.url) as http:
        revoked_stream = SseReader(await http.get("/v1/events", headers=h["dispatcher"]))
        expired_stream = SseReader(await http.get("/v1/events", headers=h["observer"]))
        session = await http.ws_connect(f"/v1/consults/{consult}/ws", headers=h["clinician"])
        inbox = await http.ws_connect("/v1/telemed/inbox/ws", headers=h["specialist"])
        assert (await session.receive_json())["type"] == "welcome"
        assert (await inbox.receive_json())["type"] == "welcome"
        for role in ("dispatcher", "clinician", "specialist"):  # as `medevac token revoke` does, from outside
            await db.execute("UPDATE tokens SET revoked_at = now() WHERE secret_hash = $1", secret_hash(h[role]))
        await db.execute("UPDATE tokens SET expires_at = now() WHERE secret_hash = $1", secret_hash(h["observer"]))

        for stream in (revoked_stream, expired_stream):
            await stream.until(lambda e: e["_event"] == "unauthorized", timeout=15)
            assert await stream.response.content.read() == b""  # and the stream ends
        await ends_with_1008(session)
        await ends_with_1008(inbox)


def secret_hash(headers: dict) -> bytes:
    return hash_secret(factories.secret(headers))


@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808", "-1", "abc", "1.5", "0x10", "٣"])
async def test_a_bad_last_event_id_is_a_400_problem_before_the_stream_starts(client, world, value):
    response = await client.get("/v1/events", headers=world.headers["dispatcher"] | {"Last-Event-ID": value})
    assert response.status == 400 and response.content_type == "application/problem+json"
    assert [e["field"] for e in (await response.json())["errors"]] == ["Last-Event-ID"]


async def test_a_last_event_id_past_the_outbox_range_in_the_query_is_a_422(client, world):
    response = await client.get("/v1/events", headers=world.headers["dispatcher"],
                                params={"last_event_id": "99999999999999999999"})
    assert response.status == 422 and response.content_type == "application/problem+json"
    assert [e["field"] for e in (await response.json())["errors"]] == ["query.last_event_id"]


async def test_the_largest_last_event_id_still_opens_a_stream(client, world):
    response = await client.get("/v1/events", headers=world.headers["dispatcher"]
                                | {"Last-Event-ID": str(2**63 - 1)})
    assert response.status == 200 and response.content_type == "text/event-stream"
    response.close()
