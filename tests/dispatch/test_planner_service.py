"""Radio call → casualty records → recommendation on the SSE stream → approval → handover."""

import pytest

from medevac.dispatch.planning.loop import PlannerSettings
from medevac.keys import pool_key
from medevac.monitoring.collector import collector_key

TIME_LIMIT_S = 1.0
LIFECYCLE = ["airborne", "at_pickup", "loaded", "handed_over", "complete"]


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="optimized", time_limit_s=TIME_LIMIT_S, debounce_s=0.05)


async def metric(client, name: str, **labels) -> float | None:
    app = client.server.app
    await app[collector_key].refresh(app[pool_key])  # the mission-state figures, read now
    text = await (await client.get("/metrics")).text()
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def recommends(request_id: str):
    def match(event: dict) -> bool:
        return event["type"] == "plan.updated" and any(
            r["request_id"] == request_id and r["asset_id"] for r in event["payload"]["recommendations"])
    return match


async def test_radio_call_to_handover_through_the_live_recommendation(client, token, theatre, radio, wordings,
                                                                     sse, db):
    field, dispatcher = await token("field"), await token("dispatcher", user="mmo")
    stream = await sse(client, dispatcher)
    request = await radio(field, wordings["us"])
    assert [c["precedence"] for c in request["casualties"]] == ["A", "B"]

    # within the solver's limit (plus debounce and the store): otherwise `until` times out
    planned = await stream.until(recommends(request["id"]), timeout=TIME_LIMIT_S + 3)
    rec = next(r for r in planned["payload"]["recommendations"] if r["request_id"] == request["id"])
    assert set(rec) == {"request_id", "asset_id", "facility_id"}  # ids only: the details are read from the request
    assert rec["asset_id"] in {str(h.id) for h in theatre.helos} and rec["facility_id"] == str(theatre.level_ii.id)

    read = await (await client.get(f"/v1/evac-requests/{request['id']}", headers=dispatcher)).json()
    shown = read["recommendation"]
    assert shown["asset_id"] == rec["asset_id"] and read["plan_no"] == planned["payload"]["plan_no"]
    assert shown["wheels_up"] < shown["at_pickup"] < shown["at_facility"]
    assert shown["margin_min"] is not None and shown["on_time"] is (shown["margin_min"] >= 0)
    assert shown["alternatives"] and all(a["reason"] for a in shown["alternatives"])
    assert {p["patient_id"] for p in shown["patients"]} == {c["id"] for c in read["casualties"]}
    assert await metric(client, "medevac_planner_duration_seconds_count", mission=theatre.mission_id) >= 1
    assert await metric(client, "medevac_fleet_assets", mission=theatre.mission_id, status="available") == 2

    approved = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={})
    assert approved.status == 201, await approved.text()
    evac = await approved.json()
    assert evac["recommended"] is True and evac["asset_id"] == rec["asset_id"] and evac["warnings"] == []
    assert evac["eta_facility"][:19] == shown["at_facility"][:19]  # the predicted handover, carried over
    tasked = await stream.until(lambda e: e["type"] == "evacuation.tasked")
    assert tasked["payload"]["id"] == evac["id"]
    alert = await stream.until(lambda e: e["type"] == "facility.prealert")
    assert alert["entity_id"] == str(theatre.level_ii.id) and len(alert["payload"]["casualties"]) == 2

    for state in LIFECYCLE:
        moved = await client.post(f"/v1/evacuations/{evac['id']}/transitions", json={"to": state}, headers=field)
        assert moved.status == 200, await moved.text()
        seen = await stream.until(lambda e, s=state: e["type"] == f"evacuation.{s}")
        assert seen["payload"]["state"] == state
    evac = await moved.json()
    assert all(evac[f"{s}_at"] for s in ("tasked", "airborne", "at_pickup", "loaded", "handed_over"))
    assert evac["completed_at"] and all(v is not None for v in evac["elapsed_s"].values())

    audit = [r["action"] for r in await db.fetch(
        "SELECT action FROM audit_log WHERE entity_id = ANY($1::text[]) ORDER BY id", [request["id"], evac["id"]])]
    changes = [a for a in audit if a != "patient_details.read"]  # reads are audited too (privacy)
    assert changes == ["evac_request.created", "evacuation.tasked"] + [f"evacuation.{s}" for s in LIFECYCLE]
    assert "patient_details.read" in audit  # the dispatcher's view of the request
    labels = dict(mission=theatre.mission_id, precedence="A", asset_kind="helicopter")
    for stage in ("call_to_tasked", "call_to_airborne", "call_to_pickup", "call_to_handover", "injury_to_care"):
        assert await metric(client, f"medevac_evacuation_{stage}_seconds_count", **labels) == 1, stage
    after = await stream.until(lambda e: e["type"] == "plan.updated"
                               and e["payload"]["based_on_seq"] >= int(seen["_id"]), timeout=TIME_LIMIT_S + 3)
    assert all(r["request_id"] != request["id"] for r in after["payload"]["recommendations"])


async def test_auto_approval_tasks_urgent_only_and_never_into_a_hot_pickup(client, token, theatre, radio, sse, db,
                                                                          wordings):
    await db.execute("UPDATE missions SET approval = 'auto' WHERE id = $1", theatre.mission_id)
    field, dispatcher = await token("field"), await token("dispatcher")
    stream = await sse(client, dispatcher)
    hot = await radio(field, wordings["labelled"] + "SECURITY: X\n")
    routine = await radio(field, wordings["labelled"].replace("URGENT 1", "ROUTINE 1"))
    urgent = await radio(field, wordings["labelled"])
    tasked = await stream.until(lambda e: e["type"] == "evacuation.tasked", timeout=TIME_LIMIT_S + 4)
    assert tasked["payload"]["request_id"] == urgent["id"] and tasked["payload"]["approval"] == "auto"
    assert tasked["payload"]["approved_by"] == "system:auto-approval"
    await stream.until(lambda e: e["type"] == "plan.updated" and e["payload"]["based_on_seq"] >= int(tasked["_id"]),
                       timeout=TIME_LIMIT_S + 3)
    statuses = {r["id"]: r["status"] for r in await db.fetch("SELECT id::text, status FROM evac_requests")}
    assert statuses == {hot["id"]: "open", routine["id"]: "open", urgent["id"]: "tasked"}
    actor = await db.fetchval("SELECT actor FROM audit_log WHERE action = 'evacuation.tasked'")
    assert actor == "system"
    assert await metric(client, "medevac_evacuations_auto_tasked_total", mission=theatre.mission_id) == 1
    ages = await metric(client, "medevac_open_request_oldest_age_seconds", mission=theatre.mission_id,
                        precedence="D", state="waiting")
    assert ages is not None and ages >= 0
