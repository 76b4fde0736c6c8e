"""Live events: SSE with replay after reconnect, and fan-out across app instances."""

from tests import factories

ASSET = factories.helicopter()


async def create_asset(client, headers, callsign: str) -> dict:
    response = await client.post("/v1/assets", json=ASSET | {"callsign": callsign}, headers=headers)
    assert response.status == 201, await response.text()
    return await response.json()


async def test_a_change_appears_on_the_stream_with_its_sequence(client, token, sse):
    headers = await token("dispatcher")
    stream = await sse(client, headers)
    asset = await create_asset(client, headers, "UNO-1")
    event = await stream.next()
    assert event["type"] == event["_event"] == "asset.created"
    assert event["entity_id"] == asset["id"] and event["payload"]["callsign"] == "UNO-1"
    assert event["_id"] == str(event["seq"])


async def test_reconnect_with_last_event_id_replays_what_was_missed(client, token, sse):
    headers = await token("dispatcher")
    first = await sse(client, headers)
    await create_asset(client, headers, "A-1")
    seen = await first.next()
    first.response.close()  # the link drops
    missed = [await create_asset(client, headers, f"B-{n}") for n in range(3)]

    resumed = await sse(client, headers, last_event_id=seen["seq"])
    replayed = [await resumed.next() for _ in missed]
    assert [e["entity_id"] for e in replayed] == [a["id"] for a in missed]
    assert [e["seq"] for e in replayed] == sorted(e["seq"] for e in replayed)
    live = await create_asset(client, headers, "C-1")
    assert (await resumed.next())["entity_id"] == live["id"]  # then it carries on live


async def test_streams_only_carry_the_tokens_mission(client, token, db, sse):
    from medevac.missions import store
    from medevac.missions.model import MissionCreate

    other = await store.create(db, MissionCreate(name="Other"))
    stream = await sse(client, await token("observer"))
    await create_asset(client, await token("dispatcher", mission_id=other.id), "ELSEWHERE")
    mine = await create_asset(client, await token("dispatcher"), "MINE")
    assert (await stream.next())["entity_id"] == mine["id"]


async def test_an_event_written_through_one_instance_reaches_the_others_stream(aiohttp_client, make_app, token, sse):
    one = await aiohttp_client(make_app())
    two = await aiohttp_client(make_app())
    headers = await token("dispatcher")
    stream = await sse(two, headers)
    asset = await create_asset(one, headers, "CROSS-1")
    event = await stream.until(lambda e: e["type"] == "asset.created")
    assert event["entity_id"] == asset["id"]


async def test_a_bad_last_event_id_is_a_400(client, token):
    response = await client.get("/v1/events", headers=(await token("field")) | {"Last-Event-ID": "yesterday"})
    assert response.status == 400
    assert (await response.json())["errors"][0]["field"] == "Last-Event-ID"


async def test_browsers_may_authenticate_the_stream_with_a_query_token(client, token, sse):
    headers = await token("observer")
    secret = factories.secret(headers)
    stream = await sse(client, {}, access_token=secret)
    await create_asset(client, await token("dispatcher"), "Q-1")
    assert (await stream.next())["type"] == "asset.created"


async def test_shutdown_ends_streams_with_a_reconnect_hint(aiohttp_client, make_app, token, sse):
    client = await aiohttp_client(make_app())
    stream = await sse(client, await token("observer"))
    await client.app.shutdown()  # what SIGTERM does before draining
    event = await stream.next()
    assert event["_event"] == "reconnect" and event["reconnect_after_ms"] > 0
