"""Matching and escalation through the real app: offers walk the ranking, then broadcast."""

import uuid
from datetime import datetime, timedelta

from medevac.keys import pool_key
from medevac.telemed.broker import broker_key
from medevac.missions import store as missions
from medevac.missions.model import MissionCreate
from medevac.telemed.sweeper import sweep

from tests.factories import on_call


def offers_by(view: dict, spec: dict) -> list[dict]:
    return [o for o in view["offers"] if o["specialist_id"] == spec["id"]]


async def read(client, consult_id: str, headers: dict) -> dict:
    resp = await client.get(f"/v1/consults/{consult_id}", headers=headers)
    assert resp.status == 200, await resp.text()
    return await resp.json()


def after(view: dict, seconds: float) -> datetime:
    """A time `seconds` after the consult was requested (offers are timed from then)."""
    return datetime.fromisoformat(view["created_at"]) + timedelta(seconds=seconds)


async def sweep_at(client, at) -> int:
    app = client.server.app
    return await sweep(app[pool_key], app[broker_key], at)


async def test_declines_and_timeouts_walk_down_the_ranking_then_broadcast(client, db, mission, specialist, consult):
    partner = await missions.create(db, MissionCreate(name=f"Partner {uuid.uuid4().hex[:6]}"))
    first, first_h = await specialist("French", languages=["fr", "en"])
    second, second_h = await specialist("Local", languages=["en"])
    third, third_h = await specialist("Partner", languages=["en"], mission=partner.id,
                                      serves_missions=[str(mission.id)])
    await specialist("Surgeon", specialty="trauma_surgery")
    await specialist("Asleep", windows=[on_call(-10, 20)])
    await specialist("Away", windows=[on_call(), on_call(2, 2, kind="unavailable")])

    created, clinician = await consult(language="fr", urgency="urgent")
    ranking = created["ranking"]
    assert [r["specialist_id"] for r in ranking["eligible"]] == [first["id"], second["id"], third["id"]]
    assert "speaks fr" in ranking["eligible"][0]["reasons"]
    assert "partner mission" in ranking["eligible"][2]["reasons"]
    reasons = sorted(r["reason"] for r in ranking["excluded"])
    assert reasons == ["not on call now", "not on call now"]  # other specialties are not candidates
    assert created["status"] == "offered" and offers_by(created, first)[0]["status"] == "open"

    resp = await client.post(f"/v1/consults/{created['id']}/decline", json={"reason": "in theatre"},
                             headers=first_h)
    declined = await resp.json()
    assert resp.status == 200, declined
    assert offers_by(declined, first)[0]["status"] == "declined"
    assert offers_by(declined, second)[0]["status"] == "open"

    # Urgent offers wait 300 s by default: the sweeper at +301 s moves on to the partner.
    assert await sweep_at(client, after(created, 250)) == 0
    assert await sweep_at(client, after(declined, 301)) == 1
    view = await read(client, created["id"], clinician)
    assert offers_by(view, second)[0]["status"] == "expired"
    assert offers_by(view, third)[0]["status"] == "open" and view["status"] == "offered"

    # The list is spent: everyone eligible who did not decline gets the consult at once.
    assert await sweep_at(client, after(created, 700)) == 1
    view = await read(client, created["id"], clinician)
    assert view["status"] == "broadcast" and view["broadcast_at"]
    broadcast = {o["specialist_id"] for o in view["offers"] if o["mode"] == "broadcast"}
    assert broadcast == {second["id"], third["id"]}

    resp = await client.post(f"/v1/consults/{created['id']}/accept", headers=third_h)
    accepted = await resp.json()
    assert resp.status == 200, accepted
    assert accepted["status"] == "accepted" and accepted["specialist_id"] == third["id"]
    assert {o["status"] for o in offers_by(accepted, second)} == {"expired", "withdrawn"}
    late = await client.post(f"/v1/consults/{created['id']}/accept", headers=second_h)
    assert late.status == 409 and (await late.json())["consult_status"] == "accepted"

    types = [r["type"] for r in await db.fetch(
        "SELECT type FROM events WHERE entity_id = $1 ORDER BY seq", created["id"])]
    assert types == ["consult.requested", "consult.offered", "consult.declined", "consult.offered",
                     "consult.offer_expired", "consult.offered", "consult.offer_expired", "consult.broadcast",
                     "consult.accepted"]
    payloads = await db.fetch("SELECT payload::text FROM events WHERE entity_id = $1", created["id"])
    assert not any("IED" in p[0] or "tibia" in p[0] for p in payloads), "patient details leaked to the outbox"
    audited = await db.fetchval("SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action <> 'patient_details.read'",
                                created["id"])
    assert audited == len(types)
    metrics = await (await client.get("/metrics")).text()
    assert 'medevac_consult_escalations_total{specialty="orthopaedics",urgency="urgent"} 1.0' in metrics
    assert 'medevac_consult_offers_expired_total{specialty="orthopaedics",urgency="urgent"} 2.0' in metrics


async def test_an_emergency_with_nobody_eligible_says_so_at_once(client, db, specialist, consult):
    await specialist("Off", specialty="neurosurgery", windows=[on_call(-5, 10)])
    created, clinician = await consult(specialty="neurosurgery", urgency="emergency")
    assert created["status"] == "unmatched" and created["offers"] == []
    assert created["ranking"]["eligible"] == []
    assert [r["reason"] for r in created["ranking"]["excluded"]] == ["not on call now"]
    assert await db.fetchval("SELECT type FROM events WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1",
                             created["id"]) == "consult.unmatched"
    # Once someone comes on call the sweeper offers it without anyone asking again.
    await specialist("Called in", specialty="neurosurgery")
    assert await sweep_at(client, after(created, 1)) == 1
    assert (await read(client, created["id"], clinician))["status"] == "offered"


async def test_a_missions_own_offer_timeout_applies(client, token, specialist, consult):
    admin = await token("admin")
    policy = {"answer_targets": {"emergency": 120, "urgent": 900, "routine": 3600},
              "offer_timeouts": {"emergency": 20, "urgent": 60, "routine": 600}}
    resp = await client.put("/v1/telemed/policy", json=policy, headers=admin)
    assert resp.status == 200, await resp.text()
    await specialist("One")
    await specialist("Two")
    created, clinician = await consult(urgency="emergency")
    offer = created["offers"][0]
    assert offer["expires_at"] and (created["answer_due_at"] > created["created_at"])
    assert await sweep_at(client, after(created, 19)) == 0
    assert await sweep_at(client, after(created, 25)) == 1
    bad = await client.put("/v1/telemed/policy", json=policy | {"offer_timeouts": {"emergency": 0}}, headers=admin)
    assert bad.status == 422
    assert {e["field"] for e in (await bad.json())["errors"]} >= {"offer_timeouts.emergency", "offer_timeouts.urgent"}


async def test_two_replicas_sweeping_at_once_expire_each_offer_once(aiohttp_client, make_app, specialist, consult, db):
    await specialist("A")
    await specialist("B")
    created, _ = await consult(urgency="emergency")
    one, two = await aiohttp_client(make_app()), await aiohttp_client(make_app())
    import asyncio
    later = after(created, 61)
    moved = await asyncio.gather(sweep_at(one, later), sweep_at(two, later))
    assert sorted(moved) == [0, 1]
    assert await db.fetchval("SELECT count(*) FROM consult_offers WHERE consult_id = $1 AND status = 'expired'",
                             uuid.UUID(created["id"])) == 1


async def test_an_online_specialist_ranks_first_and_hears_the_offer_at_once(client, specialist, consult):
    import json

    offline, _ = await specialist("Offline")
    online, online_h = await specialist("Online")
    inbox = await client.ws_connect("/v1/telemed/inbox/ws", headers=online_h)
    assert json.loads((await inbox.receive()).data)["type"] == "welcome"
    shown = await (await client.get(f"/v1/specialists/{online['id']}", headers=online_h)).json()
    assert shown["online"] is True
    created, _ = await consult(urgency="emergency")
    assert [r["specialist_id"] for r in created["ranking"]["eligible"]] == [online["id"], offline["id"]]
    offer = json.loads((await inbox.receive(timeout=10)).data)
    expires = datetime.fromisoformat(offer.pop("expires_at"))
    assert expires == datetime.fromisoformat(created["offers"][0]["expires_at"])
    assert offer == {"type": "offer", "consult_id": created["id"], "mode": "offered", "urgency": "emergency",
                     "specialty": "orthopaedics"}
    await inbox.close()
