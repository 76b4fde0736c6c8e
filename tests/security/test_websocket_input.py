"""Hostile websocket frames get an error frame on the open socket, which stays usable: deep
nesting, NUL characters and lone surrogates anywhere in a frame; nothing of theirs is stored."""

import json

import pytest

DEEP = "[" * 30_000
HOSTILE = [
    (DEEP, "malformed", None),
    ('{"type": "message", "client_id": "h1", "text": "ok", "x": ' + "[" * 100 + "]" * 100 + "}", "invalid", "h1"),
    ('{"type": "message", "client_id": "h2", "text": "give 1g TXA\\u0000 now"}', "invalid", "h2"),
    ('{"type": "message", "client_id": "h3", "text": "give 1g TXA \\ud800 now"}', "invalid", "h3"),
    ('{"type": "message", "client_id": "h4\\u0000", "text": "ok"}', "invalid", None),
    ('{"type": "message", "client_id": "h5", "text": "ok", "\\udfff": 1}', "invalid", "h5"),
    ('{"type": "signal", "signal": {"kind": "offer", "sdp": "v=0\\u0000"}}', "invalid", None),
    ('{"type": "signal", "signal": {"kind": "ice", "candidate": "\\udc00"}}', "invalid", None),
]


@pytest.mark.parametrize(("frame", "code", "client_id"), HOSTILE)
async def test_a_hostile_frame_gets_an_error_frame_and_the_socket_stays_open(client, world, db, frame, code,
                                                                             client_id):
    ws = await client.ws_connect(world.path("/v1/consults/{consult_id}/ws"), headers=world.headers["clinician"])
    assert (await ws.receive_json())["type"] == "welcome"
    await ws.send_str(frame)
    while (reply := await ws.receive_json(timeout=10))["type"] == "message":
        pass  # the history sent on joining
    assert reply["type"] == "error" and reply["code"] == code, reply
    assert reply.get("client_id") == client_id
    await ws.send_str(json.dumps({"type": "message", "client_id": "after", "text": "still here"}))
    while (ack := await ws.receive_json(timeout=10))["type"] != "ack":
        pass
    assert ack["client_id"] == "after" and not ack["duplicate"]
    await ws.close()
    stored = await db.fetch("SELECT client_id, text FROM consult_messages")
    assert {r["client_id"] for r in stored} == {"c-1", "after"}, stored  # the world's message and ours


async def test_a_lone_surrogate_over_rest_is_a_named_422(client, world):
    headers = world.headers["clinician"] | {"Content-Type": "application/json"}
    response = await client.post(world.path("/v1/consults/{consult_id}/messages"), headers=headers,
                                 data=b'{"client_id": "r1", "text": "BP \\udc00 falling"}')
    assert response.status == 422 and response.content_type == "application/problem+json", await response.text()
    assert [e["field"] for e in (await response.json())["errors"]] == ["text"]
