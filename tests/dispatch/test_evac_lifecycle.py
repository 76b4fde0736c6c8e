"""Approval with a chosen asset, then the whole lifecycle: stamps, audit, asset status, beds, metrics."""

import asyncio

import pytest

STATES = ["airborne", "at_pickup", "loaded", "handed_over", "complete"]


async def _metric(client, name: str, **labels) -> float:
    text = await (await client.get("/metrics")).text()
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_chosen_asset_flies_the_full_lifecycle(client, token, theatre, radio, wordings, db):
    field, dispatcher = await token("field"), await token("dispatcher", user="mmo")
    request = await radio(field, wordings["us"])
    helo, hospital = theatre.helos[0], theatre.level_ii
    approved = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher,
                                 json={"asset_id": str(helo.id), "facility_id": str(hospital.id)})
    assert approved.status == 201, await approved.text()
    evac = await approved.json()
    assert evac["state"] == "tasked" and evac["approved_by"] == "mmo" and evac["precedence"] == "A"
    assert len(evac["casualty_ids"]) == 2 and evac["beds_reserved"] == 2 and evac["eta_facility"]
    assert evac["allowed_transitions"] == ["airborne", "aborted"]
    assert await db.fetchval("SELECT status FROM assets WHERE id = $1", helo.id) == "tasked"
    assert await db.fetchval("SELECT status FROM evac_requests WHERE id = $1", request["id"]) == "tasked"

    board = await (await client.get(f"/v1/facilities/{hospital.id}/inbound", headers=dispatcher)).json()
    assert [i["evacuation_id"] for i in board["inbound"]] == [evac["id"]] and board["beds_reserved"] == 2
    other = await (await client.get(f"/v1/facilities/{theatre.level_i.id}/inbound", headers=dispatcher)).json()
    assert other["inbound"] == []
    prealert = await db.fetchrow("SELECT payload FROM events WHERE type = 'facility.prealert'")
    assert prealert["payload"]["evacuation_id"] == evac["id"] and len(prealert["payload"]["casualties"]) == 2

    skipped = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": "loaded"}, headers=field)
    assert skipped.status == 409 and (await skipped.json())["current"]["state"] == "tasked"

    etas = []
    for state in STATES:
        await asyncio.sleep(0.01)
        moved = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": state}, headers=field)
        assert moved.status == 200, await moved.text()
        evac = await moved.json()
        assert evac["state"] == state
        etas.append(evac["eta_facility"])
    stamps = [evac[k] for k in ("tasked_at", "airborne_at", "at_pickup_at", "loaded_at", "handed_over_at",
                                "completed_at")]
    assert all(stamps) and stamps == sorted(stamps)
    elapsed = evac["elapsed_s"]
    assert 0 <= elapsed["call_to_tasked"] <= elapsed["call_to_airborne"] <= elapsed["call_to_pickup"] \
        <= elapsed["call_to_handover"]
    assert elapsed["injury_to_care"] == elapsed["call_to_handover"]  # no injury time given: the call
    assert await db.fetchval("SELECT status FROM assets WHERE id = $1", helo.id) == "available"
    casualties = await db.fetch("SELECT status, handed_over_at FROM casualties WHERE evacuation_id = $1",
                                __import__("uuid").UUID(evac["id"]))
    assert all(c["status"] == "handed_over" and c["handed_over_at"] for c in casualties)
    assert await db.fetchval("SELECT status FROM evac_requests WHERE id = $1", request["id"]) == "handed_over"
    board = await (await client.get(f"/v1/facilities/{hospital.id}/inbound", headers=dispatcher)).json()
    assert board["inbound"] == [] and board["beds_reserved"] == 0

    audit = await db.fetch("SELECT action, actor FROM audit_log WHERE entity = 'evacuation' ORDER BY id")
    assert [a["action"] for a in audit] == ["evacuation.tasked"] + [f"evacuation.{s}" for s in STATES]
    events = [r["type"] for r in await db.fetch("SELECT type FROM events WHERE entity = 'evacuation' ORDER BY seq")]
    assert events == ["evacuation.tasked"] + [f"evacuation.{s}" for s in STATES]
    labels = dict(mission=theatre.mission_id, precedence="A", asset_kind="helicopter")
    for stage in ("call_to_tasked", "call_to_airborne", "call_to_pickup", "call_to_handover", "injury_to_care"):
        assert await _metric(client, f"medevac_evacuation_{stage}_seconds_count", **labels) == 1, stage
        assert await _metric(client, f"medevac_evacuation_{stage}_seconds_bucket", le="600.0", **labels) == 1
    final = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": "aborted", "reason": "x"},
                              headers=field)
    assert final.status == 409


async def test_abort_frees_the_asset_and_requeues_the_casualties(client, token, theatre, radio, wordings, db):
    field, dispatcher = await token("field"), await token("dispatcher")
    request = await radio(field, wordings["labelled"])
    evac = await (await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={
        "asset_id": str(theatre.helos[0].id), "facility_id": str(theatre.level_ii.id)})).json()
    no_reason = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": "aborted"},
                                  headers=dispatcher)
    assert no_reason.status == 422
    swapped = await client.post(f"/v1/evacuations/{evac['id']}/reassign", headers=dispatcher, json={
        "asset_id": str(theatre.helos[1].id), "facility_id": str(theatre.level_ii.id), "reason": "UNO-1 unserviceable"})
    assert swapped.status == 201, await swapped.text()
    replacement = await swapped.json()
    assert replacement["asset_id"] == str(theatre.helos[1].id) and replacement["casualty_ids"] == evac["casualty_ids"]
    old = await (await client.get(f"/v1/evacuations/{evac['id']}", headers=dispatcher)).json()
    assert old["state"] == "aborted" and old["replaced_by"] == replacement["id"]
    assert old["abort_reason"] == "UNO-1 unserviceable"
    statuses = {r["id"]: r["status"] for r in await db.fetch("SELECT id, status FROM assets")}
    assert statuses[theatre.helos[0].id] == "available" and statuses[theatre.helos[1].id] == "tasked"

    aborted = await client.post(f"/v1/evacuations/{replacement['id']}/transitions", headers=dispatcher,
                                json={"to": "aborted", "reason": "pickup site overrun"})
    assert aborted.status == 200
    assert await db.fetchval("SELECT status FROM evac_requests WHERE id = $1", request["id"]) == "open"
    assert await db.fetchval("SELECT status FROM casualties WHERE request_id = $1", request["id"]) == "waiting"


async def test_a_returning_asset_retasked_keeps_its_new_status(client, token, theatre, radio, wordings, db):
    """Completing the old sortie must not mark the asset available while it flies a new one."""
    field, dispatcher = await token("field"), await token("dispatcher")
    helo = str(theatre.helos[0].id)
    choice = {"asset_id": helo, "facility_id": str(theatre.level_ii.id)}
    first = await radio(field, wordings["labelled"])
    evac = await (await client.post(f"/v1/evac-requests/{first['id']}/approve", headers=dispatcher, json=choice)).json()
    for state in STATES[:4]:
        await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": state}, headers=field)
    assert await db.fetchval("SELECT status FROM assets WHERE id = $1::uuid", helo) == "returning"
    second = await radio(field, wordings["labelled"])
    again = await client.post(f"/v1/evac-requests/{second['id']}/approve", headers=dispatcher, json=choice)
    assert again.status == 201, await again.text()
    done = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": "complete"}, headers=field)
    assert done.status == 200
    assert await db.fetchval("SELECT status FROM assets WHERE id = $1::uuid", helo) == "tasked"


async def test_unavailable_asset_is_blocked_and_worse_choice_warns(client, token, theatre, radio, wordings, db):
    field, dispatcher = await token("field"), await token("dispatcher")
    request = await radio(field, wordings["labelled"])
    await db.execute("UPDATE assets SET status = 'maintenance' WHERE id = $1", theatre.helos[1].id)
    blocked = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={
        "asset_id": str(theatre.helos[1].id), "facility_id": str(theatre.level_ii.id)})
    assert blocked.status == 409 and (await blocked.json())["asset"]["status"] == "maintenance"
    closed = await db.execute("UPDATE facilities SET status = 'closed' WHERE id = $1", theatre.level_i.id)
    assert closed
    shut = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={
        "asset_id": str(theatre.helos[0].id), "facility_id": str(theatre.level_i.id)})
    assert shut.status == 409
    nothing = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={})
    assert nothing.status == 409  # no plan yet: nothing to approve
    assert await db.fetchval("SELECT count(*) FROM evacuations") == 0
