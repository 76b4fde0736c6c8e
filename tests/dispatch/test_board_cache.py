"""The open-requests board is kept per replica until what it shows changes: a kept page is served
again, a change made on another replica shows at once, observers never get a dispatcher's page,
and every serving of patient details is audited."""

from medevac.http.boards import board_cache_key

BOARD = "/v1/evac-requests?status=open&limit=50"


async def board(client, headers) -> list[dict]:
    response = await client.get(BOARD, headers=headers)
    assert response.status == 200, await response.text()
    return (await response.json())["items"]


def counts(client) -> tuple[int, int]:
    cache = client.app[board_cache_key]
    return cache.hits, cache.builds


async def reads_audited(db, request_id: str) -> int:
    """Reads by others than the field medic (whose creation answer is audited too)."""
    return await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'patient_details.read' "
                             "AND entity_id = $1 AND role <> 'field'", request_id)


async def test_a_kept_board_is_served_until_a_change_on_any_replica(aiohttp_client, make_app, client, token,
                                                                   theatre, radio, wordings, db):
    other_replica = await aiohttp_client(make_app())
    field, dispatcher = await token("field"), await token("dispatcher")
    first = await radio(field, wordings["us"])  # radio text: the page shows patient details
    assert [r["id"] for r in await board(client, dispatcher)] == [first["id"]]
    assert [r["id"] for r in await board(client, dispatcher)] == [first["id"]]
    assert counts(client) == (1, 1)  # the second read was the kept page
    assert await reads_audited(db, first["id"]) == 2  # ... and still audited

    await client.get(f"/v1/assets/{theatre.helos[0].id}", headers=dispatcher)
    await db.execute("SELECT 1")  # an unrelated read or event leaves the page kept
    second = await (await other_replica.post(
        "/v1/evac-requests", data=wordings["labelled"].encode(),
        headers=field | {"Content-Type": "text/plain"})).json()
    assert {r["id"] for r in await board(client, dispatcher)} == {first["id"], second["id"]}  # at once
    assert counts(client) == (1, 2)

    approved = await other_replica.post(f"/v1/evac-requests/{first['id']}/approve", headers=dispatcher,
                                        json={"asset_id": str(theatre.helos[0].id),
                                              "facility_id": str(theatre.level_ii.id)})
    assert approved.status == 201, await approved.text()
    assert [r["id"] for r in await board(client, dispatcher)] == [second["id"]]  # tasked: off the open board


async def test_observers_and_dispatchers_never_share_a_kept_page(client, token, theatre, radio, wordings, db):
    field, dispatcher, observer = await token("field"), await token("dispatcher"), await token("observer")
    request = await radio(field, wordings["us"])
    [shown] = await board(client, dispatcher)
    assert shown["raw_text"]
    [withheld] = await board(client, observer)
    assert withheld["raw_text"] is None and withheld["id"] == request["id"]
    [shown_again] = await board(client, dispatcher)
    assert shown_again == shown
    assert counts(client) == (1, 2)
    assert await reads_audited(db, request["id"]) == 2  # the dispatcher's two reads, not the observer's


async def test_pages_from_kept_rows_are_what_the_models_write(client, token, theatre, radio, wordings, db):
    from medevac.dispatch.requests import store
    from medevac.models import Page, decode_cursor, page_of
    from medevac.privacy import stripped

    field, dispatcher, observer = await token("field"), await token("dispatcher"), await token("observer")
    for wording in ("us", "nato", "labelled", "us"):
        await radio(field, wordings[wording])
    await board(client, dispatcher)  # rows kept
    await db.execute("UPDATE evac_requests SET terrain = 'changed behind the cache' WHERE id = "
                     "(SELECT id FROM evac_requests ORDER BY id LIMIT 1)")  # a new row version: its fingerprint moves
    for headers, strip in ((dispatcher, False), (observer, True)):
        cursor, pages = None, 0
        while True:
            url = "/v1/evac-requests?limit=3" + (f"&cursor={cursor}" if cursor else "")
            got = await (await client.get(url, headers=headers)).json()
            after = None if cursor is None else decode_cursor(cursor)
            expected = page_of(await store.list_for(db, theatre.mission_id, status=None, after=after, limit=4), 3)
            expected = Page.model_validate_json(expected.model_dump_json()).model_dump(mode="json")
            assert got == (stripped(expected) if strip else expected)
            pages += 1
            if not (cursor := got["next_cursor"]):
                break
        assert pages == 2
    terrains = [r["terrain"] for r in (await (await client.get("/v1/evac-requests", headers=dispatcher)).json())["items"]]
    assert "changed behind the cache" in terrains


async def test_the_assets_board_shows_each_fix_as_the_model_writes_it(client, token, theatre, db):
    from medevac.dispatch.assets import store as assets
    from medevac.models import Page, page_of

    dispatcher = await token("dispatcher")
    helo = theatre.helos[0]

    async def listed() -> dict:
        response = await client.get("/v1/assets?limit=1", headers=dispatcher)
        assert response.status == 200
        return await response.json()

    await listed()  # rows kept
    for lat in (6.40, 6.30):
        current = await (await client.get(f"/v1/assets/{helo.id}", headers=dispatcher)).json()
        moved = await client.patch(f"/v1/assets/{helo.id}", json={"position": {"lat": lat, "lon": 21.9}},
                                   headers=dispatcher | {"If-Match": f'"{current["version"]}"'})
        assert moved.status == 200
        rows = await assets.list_rows(db, theatre.mission_id, status=None, kind=None, after=None, limit=2)
        expected = page_of([assets.asset(r) for r in rows], 1)
        assert await listed() == Page.model_validate_json(expected.model_dump_json()).model_dump(mode="json")
    positions = {a["id"]: a["position"]["lat"] for a in (await (await client.get(
        "/v1/assets", headers=dispatcher)).json())["items"]}
    assert positions[str(helo.id)] == 6.30
