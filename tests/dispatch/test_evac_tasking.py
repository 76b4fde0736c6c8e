"""Tasking is one conditional update: concurrent approvals, even on two replicas, task once."""

import asyncio


async def test_two_officers_on_two_replicas_task_the_same_asset_once(aiohttp_client, make_app, client, token,
                                                                      theatre, radio, wordings, db):
    other_replica = await aiohttp_client(make_app())
    field = await token("field")
    officers = [await token("dispatcher", user=f"mmo-{n}") for n in (1, 2)]
    requests = [await radio(field, wordings["labelled"]) for _ in range(2)]
    choice = {"asset_id": str(theatre.helos[0].id), "facility_id": str(theatre.level_ii.id)}
    for round_ in range(3):  # a few rounds: the race must be decided by the database every time
        responses = await asyncio.gather(*(
            c.post(f"/v1/evac-requests/{r['id']}/approve", headers=h, json=choice)
            for c, r, h in zip((client, other_replica), requests, officers)))
        statuses = sorted(r.status for r in responses)
        assert statuses == [201, 409], [await r.text() for r in responses]
        loser = next(r for r in responses if r.status == 409)
        problem = await loser.json()
        assert problem["current"]["asset"]["status"] == "tasked"
        assert problem["current"]["evacuation"]["asset_id"] == choice["asset_id"]
        winner = await next(r for r in responses if r.status == 201).json()
        assert await db.fetchval("SELECT count(*) FROM evacuations WHERE state = 'tasked'") == 1
        assert await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'evacuation.tasked'") == round_ + 1
        await client.post(f"/v1/evacuations/{winner['id']}/transitions", headers=officers[0],
                          json={"to": "aborted", "reason": "next round"})


async def test_two_assets_for_the_same_casualties_task_once(client, token, theatre, radio, wordings, db):
    field = await token("field")
    officers = [await token("dispatcher") for _ in range(2)]
    request = await radio(field, wordings["labelled"])
    responses = await asyncio.gather(*(
        client.post(f"/v1/evac-requests/{request['id']}/approve", headers=h,
                    json={"asset_id": str(helo.id), "facility_id": str(theatre.level_ii.id)})
        for helo, h in zip(theatre.helos, officers)))
    assert sorted(r.status for r in responses) == [201, 409]
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 1
    assert sorted(await db.fetchval("SELECT array_agg(status) FROM assets")) == ["available", "tasked"]
