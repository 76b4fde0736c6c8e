"""9-lines from a TAK peer (pytak): the same intake as the radio text, exactly once per CoT uid,
re-planned into a recommendation; bad CoT is logged and counted and the connection goes on."""

import pytest
from aiohttp.test_utils import unused_port

from medevac.dispatch.planning.loop import PlannerSettings
from tests.dispatch.test_evac_lifecycle import _metric
from tests.interop.tak_peer import TakPeer, nine_line_cot

TIME_LIMIT_S = 1.0


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="closest", time_limit_s=TIME_LIMIT_S, debounce_s=0.05)


@pytest.fixture
async def fed(aiohttp_client, make_app, theatre):
    """(client, peer): the service with its CoT feed, and a TAK peer connected to it."""
    port = unused_port()
    client = await aiohttp_client(make_app(cot_port=port, cot_mission=str(theatre["mission"].id)))
    peer = await TakPeer.connect(port)
    yield client, peer
    peer.close()


async def test_a_nine_line_from_tak_becomes_one_request_with_a_recommendation(fed, token, sse, db, theatre):
    client, peer = fed
    dispatcher = await token("dispatcher")
    stream = await sse(client, dispatcher)
    event = nine_line_cot("ANDROID-9line-0001")
    await peer.send(event)
    await peer.send(event)  # the device resends: same uid
    await peer.roundtrip()

    rows = await db.fetch("SELECT id, source, cot_uid, created_by, callsign, frequency FROM evac_requests")
    assert [(r["source"], r["cot_uid"], r["created_by"], r["callsign"], r["frequency"]) for r in rows] == [
        ("cot", "ANDROID-9line-0001", "cot:WARHORSE 21", "WARHORSE 21", "45.500")]
    request_id = str(rows[0]["id"])
    assert await _metric(client, "medevac_cot_events_received_total", outcome="accepted") == 1
    assert await _metric(client, "medevac_cot_events_received_total", outcome="duplicate") == 1
    audited = await db.fetch("SELECT actor, role FROM audit_log WHERE action = 'evac_request.created'")
    assert [(a["actor"], a["role"]) for a in audited] == [("cot:WARHORSE 21", "field")]

    await stream.until(lambda e: e["type"] == "plan.updated")
    board = await (await client.get("/v1/evac-requests?status=open", headers=dispatcher)).json()
    assert [r["id"] for r in board["items"]] == [request_id]
    shown = await (await client.get(f"/v1/evac-requests/{request_id}", headers=dispatcher)).json()
    assert shown["recommendation"]["asset_id"] in {str(h.id) for h in theatre["helos"]}
    nl = shown["nine_line"]
    assert nl["precedence"] == {"A": 1, "B": 0, "C": 1, "D": 0, "E": 0}
    assert nl["patients_by_type"] == {"litter": 1, "ambulatory": 1} and nl["special_equipment"] == ["A"]
    assert nl["security"] == "P" and nl["marking"]["method"] == "A"
    assert nl["nationality"] == [{"status": "C", "count": 2, "category": None}]  # a code, no UN category
    assert nl["mist_at"][0]["mechanism"] == "GSW" and nl["mist_at"][0]["treatment"] == [{"given": "TQ", "at": None}]

    marker, _ = await peer.until(lambda e: e.get("uid") == "ANDROID-9line-0001")  # its own uid comes back
    assert marker.get("type") == "b-r-f-h-c" and marker.find("detail/_medevac_").get("urgent") == "1"


BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<event version="2.0" uid="x" type="b-r-f-h-c"><point lat="1" lon="1"/><detail>&lol2;</detail></event>"""


async def test_bad_cot_is_counted_and_the_stream_goes_on(fed, db):
    client, peer = fed
    await peer.send(b"<event version='2.0' uid='broken' type='b-r-f-h-c'><point lat='1'</event>")
    await peer.send(BILLION_LAUGHS)
    await peer.send(b"<notanevent>hello</notanevent></event>")
    await peer.send(nine_line_cot("wrong-type", urgent="many"))
    await peer.send(nine_line_cot("unknown-code", security="7"))
    await peer.send(nine_line_cot("no-patients", urgent="0", priority="0"))
    await peer.send(nine_line_cot("far-away", lat=123.0))
    huge = nine_line_cot("huge", medline_remarks="x" * (10 * 1024 * 1024))
    await peer.send(huge)
    await peer.send(nine_line_cot("after-the-storm"))
    await peer.roundtrip()

    outcomes = {o: await _metric(client, "medevac_cot_events_received_total", outcome=o)
                for o in ("malformed", "invalid", "oversize", "accepted")}
    assert outcomes == {"malformed": 3, "invalid": 4, "oversize": 1, "accepted": 1}
    assert [r["cot_uid"] for r in await db.fetch("SELECT cot_uid FROM evac_requests")] == ["after-the-storm"]
    assert (await client.get("/healthz")).status == 200


async def test_a_flood_from_one_device_is_held_to_the_intake_rate(aiohttp_client, make_app, theatre, db):
    port = unused_port()
    client = await aiohttp_client(make_app(cot_port=port, cot_mission=str(theatre["mission"].id),
                                           rate_creates_per_minute=1))  # a burst of 5, then one a minute
    peer = await TakPeer.connect(port)
    try:
        for n in range(7):
            await peer.send(nine_line_cot(f"flood-{n}"))
        await peer.roundtrip()
    finally:
        peer.close()
    assert await db.fetchval("SELECT count(*) FROM evac_requests") == 5
    assert await _metric(client, "medevac_cot_events_received_total", outcome="rate_limited") == 2
