"""Mission scope on relationships, not only on rows: a token of mission A cannot enrol A's specialist
into B's pool, name B's facilities or create missions; a global admin may link missions, and the
change is audited under every mission it touches. Another mission's consult is simply not found."""

import uuid

import pytest

from medevac.missions import store as missions
from medevac.missions.model import MissionCreate

from .world import World, seed_world


@pytest.fixture
async def other(client, token, db) -> World:
    """Mission B, with one of everything, beside the `world` fixture's mission A."""
    elsewhere = await missions.create(db, MissionCreate(name=f"Elsewhere {uuid.uuid4().hex[:6]}"))
    return await seed_world(client, token, elsewhere.id)


async def serves(db, specialist_id: str) -> list[uuid.UUID]:
    return await db.fetchval("SELECT serves_missions FROM specialists WHERE id = $1", uuid.UUID(specialist_id))


async def audited_under(db, specialist_id: str) -> list[uuid.UUID]:
    rows = await db.fetch("SELECT mission_id FROM audit_log WHERE entity = 'specialist' AND entity_id = $1 "
                          "AND action = 'specialist.updated' ORDER BY id", specialist_id)
    return [r["mission_id"] for r in rows]


async def test_a_mission_token_cannot_link_its_specialists_to_another_mission(client, world, other, db):
    spec = world.path("/v1/specialists/{specialist_id}")
    for role in ("dispatcher", "admin"):
        patched = await client.patch(spec, json={"serves_missions": [str(other.mission_id)]},
                                     headers=world.headers[role])
        assert patched.status == 403, await patched.text()
        created = await client.post("/v1/specialists", headers=world.headers[role], json={
            "user_id": f"dr-{role}", "name": "Dr Y", "specialty": "burns",
            "serves_missions": [str(uuid.uuid4()) for _ in range(20)]})
        assert created.status == 403, await created.text()
    assert await serves(db, world.ids["specialist_id"]) == []
    foreign = await client.post("/v1/specialists", headers=world.headers["dispatcher"], json={
        "user_id": "dr-z", "name": "Dr Z", "specialty": "burns", "facility_id": other.ids["facility_id"]})
    assert foreign.status == 422 and {e["field"] for e in (await foreign.json())["errors"]} == {"facility_id"}
    unchanged = await client.patch(spec, json={"languages": ["en", "fr"]}, headers=world.headers["dispatcher"])
    assert unchanged.status == 200, await unchanged.text()
    assert not await db.fetchval("SELECT count(*) FROM specialists WHERE user_id LIKE 'dr-%'")


async def test_a_global_admin_links_missions_and_each_mission_sees_it_audited(client, world, other, token, db):
    hq = await token("admin", mission_id=None)
    spec = world.path("/v1/specialists/{specialist_id}")
    unknown = await client.patch(spec, json={"serves_missions": [str(other.mission_id), str(uuid.uuid4())]},
                                 headers=hq)
    assert unknown.status == 422 and (await unknown.json())["errors"][0]["field"] == "serves_missions.1"
    linked = await client.patch(spec, json={"serves_missions": [str(other.mission_id)]}, headers=hq)
    assert linked.status == 200, await linked.text()
    assert await audited_under(db, world.ids["specialist_id"]) == [world.mission_id, other.mission_id]
    seen_by_b = await client.get(spec, headers=other.headers["admin"])
    assert seen_by_b.status == 200
    # A's own keepers may still change what is A's; the link they did not make stays
    kept = await client.patch(spec, json={"load_limit": 3, "serves_missions": [str(other.mission_id)]},
                              headers=world.headers["dispatcher"])
    assert kept.status == 200 and await serves(db, world.ids["specialist_id"]) == [other.mission_id]
    undone = await client.patch(spec, json={"serves_missions": []}, headers=hq)
    assert undone.status == 200
    assert (await audited_under(db, world.ids["specialist_id"]))[-2:] == [world.mission_id, other.mission_id]


async def test_only_a_global_admin_creates_missions(client, world, token):
    body = {"name": f"New {uuid.uuid4().hex[:6]}"}
    scoped = await client.post("/v1/missions", json=body, headers=world.headers["admin"])
    assert scoped.status == 403, await scoped.text()
    created = await client.post("/v1/missions", json=body, headers=await token("admin", mission_id=None))
    assert created.status == 201, await created.text()


async def test_another_missions_consult_cannot_be_answered_nor_its_status_learnt(client, world, other):
    for action in ("accept", "decline"):
        answered = await client.post(world.path(f"/v1/consults/{{consult_id}}/{action}"), json={},
                                     headers=other.headers["specialist"])
        text = await answered.text()
        assert answered.status == 404 and "accepted" not in text, text


async def test_a_consult_cannot_draft_an_evacuation_to_another_missions_facility(client, world, other):
    closed = await client.post(world.path("/v1/consults/{consult_id}/close"), headers=world.headers["clinician"],
                               json={"outcome": "evacuation_recommended",
                                     "evacuation": {"destination_facility_id": other.ids["facility_id"]}})
    assert closed.status == 422, await closed.text()
    assert (await closed.json())["errors"][0]["field"] == "evacuation.destination_facility_id"
