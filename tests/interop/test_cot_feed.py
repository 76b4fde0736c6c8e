"""The CoT feed seen from a TAK peer (pytak + takproto): the mission's picture parses as TAK parses it,
the tasked evacuation is a MEDEVAC marker, and the aircraft moves."""

import asyncio

from aiohttp.test_utils import unused_port

from tests.interop.tak_peer import TakPeer, nine_line_cot


def _medevac(event):
    return event.find("detail/_medevac_")


async def test_picture_parses_on_the_peer_and_the_aircraft_moves(aiohttp_client, make_app, token, theatre,
                                                                  task_evacuation):
    port = unused_port()
    client = await aiohttp_client(make_app(cot_port=port, cot_mission=str(theatre["mission"].id)))
    request, evacuation = await task_evacuation(client)
    peer = await TakPeer.connect(port)
    try:
        marker, message = await peer.until(lambda e: e.get("type") == "b-r-f-h-c")
        attributes = _medevac(marker).attrib
        assert {k: attributes[k] for k in ("urgent", "urgent_surgical", "litter", "ambulatory", "equipment_none",
                                           "security", "hlz_marking", "nonus_military", "freq")} == {
            "urgent": "1", "urgent_surgical": "1", "litter": "2", "ambulatory": "0", "equipment_none": "true",
            "security": "0", "hlz_marking": "2", "nonus_military": "2", "freq": "38.90"}
        assert message.cotEvent.detail.contact.callsign == "DUSTOFF 6"
        assert abs(message.cotEvent.lat - request["pickup"]["lat"]) < 1e-6
        assert "<_medevac_" in message.cotEvent.detail.xmlDetail
        assert marker.find("detail/remarks").text.startswith("tasked: UNO-1 to Bria Level II")
        types = {e.get("uid"): e.get("type") for e, _ in peer.seen}
        await peer.roundtrip()
        types |= {e.get("uid"): e.get("type") for e, _ in peer.seen}
        helo = theatre["helos"][0]
        assert types[f"medevac-asset-{helo.id}"] == "a-f-A-M-H-H"
        assert types[f"medevac-facility-{theatre['level_ii'].id}"] == "a-f-G-I-X-H"

        crew = await token("field")
        airborne = await client.post(f"/v1/evacuations/{evacuation['id']}/transitions", json={"to": "airborne"},
                                     headers=crew)
        assert airborne.status == 200
        marker, _ = await peer.until(lambda e: e.get("type") == "b-r-f-h-c"
                                     and e.find("detail/remarks").text.startswith("airborne: UNO-1"))
        tracker = await token("dispatcher")  # the aircraft's position reports
        for lat in (6.56, 6.59):
            current = await (await client.get(f"/v1/assets/{helo.id}", headers=tracker)).json()
            moved = await client.patch(f"/v1/assets/{helo.id}", json={"position": {"lat": lat, "lon": 22.0}},
                                       headers=tracker | {"If-Match": f'"{current["version"]}"'})
            assert moved.status == 200, await moved.text()
            _, fix = await peer.until(lambda e: e.get("uid") == f"medevac-asset-{helo.id}"
                                      and abs(float(e.find("point").get("lat")) - lat) < 1e-6)
            assert fix.cotEvent.type == "a-f-A-M-H-H" and fix.cotEvent.detail.contact.callsign == "UNO-1"

        for state in ("at_pickup", "loaded", "handed_over"):
            moved = await client.post(f"/v1/evacuations/{evacuation['id']}/transitions", json={"to": state},
                                      headers=crew)
            assert moved.status == 200
        gone, _ = await peer.until(lambda e: e.get("type") == "t-x-d-d")
        assert gone.find("detail/link").get("uid") == marker.get("uid")
    finally:
        peer.close()


async def test_the_service_dials_the_mission_tak_server(aiohttp_client, make_app, theatre, db):
    """A TAK server's streaming port (stood in for by a plain listener): the service connects, sends its
    picture and takes 9-lines relayed over the same connection."""
    connected: asyncio.Queue = asyncio.Queue()

    async def accept(reader, writer):
        await connected.put((reader, writer))

    tak_server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = tak_server.sockets[0].getsockname()[1]
    async with tak_server:
        await aiohttp_client(make_app(cot_connect=f"127.0.0.1:{port}", cot_mission=str(theatre["mission"].id)))
        reader, writer = await asyncio.wait_for(connected.get(), 15)
        relay = TakPeer(reader, writer, None)
        facility, _ = await relay.until(lambda e: e.get("type") == "a-f-G-I-X-H")
        assert facility.find("detail/contact").get("callsign") == "Bria Level II"
        await relay.send(nine_line_cot("ANDROID-relayed-1"))
        await relay.roundtrip()
        assert await db.fetchval("SELECT count(*) FROM evac_requests WHERE cot_uid = 'ANDROID-relayed-1'") == 1
        relay.close()


async def test_the_picture_is_resent_before_it_goes_stale(aiohttp_client, make_app, theatre):
    port = unused_port()
    await aiohttp_client(make_app(cot_port=port, cot_mission=str(theatre["mission"].id), cot_stale_s=2))
    peer = await TakPeer.connect(port)
    try:
        await peer.roundtrip()  # the picture on connection, then nothing changes
        facility = f"medevac-facility-{theatre['level_ii'].id}"
        first = [e for e, _ in peer.seen if e.get("uid") == facility]
        again, _ = await peer.until(lambda e: e.get("uid") == facility)
        assert len(first) == 1 and again.get("stale") > first[0].get("stale")
    finally:
        peer.close()
