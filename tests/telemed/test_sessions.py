"""Consult chat over real websockets: drops, restarts, offline bursts; no duplicates, no gaps."""

import asyncio

from .party import Party


async def accepted_consult(client, specialist, consult) -> tuple[dict, dict, dict]:
    spec, spec_h = await specialist("Ortho")
    created, clinician = await consult(urgency="routine")
    resp = await client.post(f"/v1/consults/{created['id']}/accept", headers=spec_h)
    assert resp.status == 200, await resp.text()
    return created, clinician, spec_h


def assert_complete(party: Party, upto: int) -> None:
    assert sorted(party.messages) == list(range(1, upto + 1)), "a gap or an extra message"


async def test_chat_survives_drops_on_both_sides_and_a_burst_while_the_peer_is_away(client, specialist, consult):
    created, clinician_h, spec_h = await accepted_consult(client, specialist, consult)
    cid = created["id"]
    clinician = await Party.join(client, cid, clinician_h)
    doctor = await Party.join(client, cid, spec_h)
    assert (clinician.welcome["party"], doctor.welcome["party"]) == ("clinician", "specialist")

    await clinician.send(type="message", client_id="c-1", text="BP falling")
    assert (await clinician.next("ack"))["seq"] == 1
    await doctor.until_seq(1)
    await doctor.send(type="message", client_id="s-1", text="Second IV line, fluids")
    await clinician.until_seq(2)

    # The specialist's link drops; the clinician sends a burst, one message twice (a retry).
    await doctor.close()
    for i in range(2, 12):
        await clinician.send(type="message", client_id=f"c-{i}", text=f"obs {i}")
    await clinician.send(type="message", client_id="c-5", text="obs 5")
    acks = [await clinician.next("ack") for _ in range(11)]
    assert [a["duplicate"] for a in acks].count(True) == 1
    doctor = await Party.join(client, cid, spec_h, held=doctor)
    await doctor.until_seq(12)
    assert_complete(doctor, 12)

    # Now the clinician drops, and misses the specialist's answer.
    await clinician.close()
    await doctor.send(type="message", client_id="s-2", text="Splint and evacuate")
    await doctor.next("ack")
    clinician = await Party.join(client, cid, clinician_h, held=clinician)
    await clinician.until_seq(13)
    assert_complete(clinician, 13)
    assert clinician.messages[13]["text"] == "Splint and evacuate" and clinician.messages[13]["from"] == "specialist"

    await clinician.send(type="read", seq=13)
    receipt = await doctor.next("read")
    assert receipt == {"type": "read", "party": "clinician", "seq": 13}
    await clinician.close()
    await doctor.close()


async def test_chat_survives_a_restart_across_two_replicas(aiohttp_client, make_app, client, specialist, consult):
    created, clinician_h, spec_h = await accepted_consult(client, specialist, consult)
    cid = created["id"]
    one, two = await aiohttp_client(make_app()), await aiohttp_client(make_app())
    clinician = await Party.join(one, cid, clinician_h)
    doctor = await Party.join(two, cid, spec_h)
    await clinician.send(type="message", client_id="c-1", text="across replicas")
    await doctor.until_seq(1)  # relayed from replica one to replica two through PostgreSQL

    await one.close()  # replica one goes down: its socket is closed, its messages are kept
    closed = await clinician.ws.receive()
    assert closed.type.name in {"CLOSE", "CLOSING", "CLOSED"}
    await doctor.send(type="message", client_id="s-1", text="while you were restarting")
    await doctor.send(type="message", client_id="s-2", text="and again")
    await doctor.next("ack")
    await doctor.next("ack")

    restarted = await aiohttp_client(make_app())  # the same database, a fresh process
    clinician = await Party.join(restarted, cid, clinician_h, held=clinician)
    await clinician.until_seq(3)
    assert_complete(clinician, 3)
    await clinician.send(type="message", client_id="c-1", text="across replicas")  # a retry after restart
    assert (await clinician.next("ack")) == {"type": "ack", "client_id": "c-1", "seq": 1, "duplicate": True}
    await clinician.send(type="message", client_id="c-2", text="back")
    await doctor.until_seq(4)
    assert_complete(doctor, 4)
    await clinician.close()
    await doctor.close()


async def test_a_routine_consult_is_answered_later_over_plain_http(client, specialist, consult):
    spec, spec_h = await specialist("Later")
    created, clinician_h = await consult(urgency="routine")
    url = f"/v1/consults/{created['id']}/messages"
    posted = await client.post(url, json={"client_id": "c-1", "text": "X-ray attached tomorrow"}, headers=clinician_h)
    assert posted.status == 201 and (await posted.json())["seq"] == 1
    again = await client.post(url, json={"client_id": "c-1", "text": "X-ray attached tomorrow"}, headers=clinician_h)
    assert (await again.json())["duplicate"] is True
    assert (await client.get(url, headers=spec_h)).status == 403  # offered, not yet a party
    await client.post(f"/v1/consults/{created['id']}/accept", headers=spec_h)
    history = await (await client.get(url, headers=spec_h)).json()
    assert [m["text"] for m in history["items"]] == ["X-ray attached tomorrow"]
    reply = await client.post(url, json={"client_id": "s-1", "text": "Immobilise; no evac needed"}, headers=spec_h)
    assert (await reply.json())["seq"] == 2
    closed = await client.post(f"/v1/consults/{created['id']}/close", json={"outcome": "advice_given"},
                               headers=spec_h)
    assert (await closed.json())["status"] == "closed"
    late = await client.post(url, json={"client_id": "c-2", "text": "thanks"}, headers=clinician_h)
    assert late.status == 409
    metrics = await (await client.get("/metrics")).text()
    assert "medevac_consult_time_to_first_specialist_message_seconds_count" in metrics


async def test_bad_frames_get_errors_not_disconnects(client, specialist, consult):
    created, clinician_h, _ = await accepted_consult(client, specialist, consult)
    clinician = await Party.join(client, created["id"], clinician_h)
    await clinician.ws.send_str("not json")
    assert (await clinician.next("error"))["code"] == "malformed"
    await clinician.send(type="message", text="no client id")
    assert (await clinician.next("error"))["code"] == "invalid"
    await clinician.send(type="read", seq=99)
    assert "only 0 messages" in (await clinician.next("error"))["detail"]
    await clinician.send(type="telepathy")
    assert (await clinician.next("error"))["code"] == "unknown_type"
    await clinician.send(type="message", client_id="ok", text="still here")
    assert (await clinician.next("ack"))["seq"] == 1
    await clinician.close()


async def test_the_same_client_id_from_each_party_is_two_messages_not_a_duplicate(client, specialist, consult):
    created, clinician_h, spec_h = await accepted_consult(client, specialist, consult)
    url = f"/v1/consults/{created['id']}/messages"
    asked = await client.post(url, json={"client_id": "1", "text": "BP 80/50, what now?"}, headers=clinician_h)
    assert asked.status == 201
    answered = await client.post(url, json={"client_id": "1", "text": "give 1g TXA now"}, headers=spec_h)
    assert answered.status == 201 and (await answered.json())["duplicate"] is False
    doctor = await Party.join(client, created["id"], spec_h)
    await doctor.send(type="message", client_id="2", text="and a second line")
    await doctor.next("ack")
    clinician = await Party.join(client, created["id"], clinician_h)
    await clinician.send(type="message", client_id="2", text="second line in")
    assert (await clinician.next("ack"))["duplicate"] is False
    history = await (await client.get(url, headers=clinician_h)).json()
    assert [m["text"] for m in history["items"]] == ["BP 80/50, what now?", "give 1g TXA now", "and a second line",
                                                     "second line in"]
    await doctor.close()
    await clinician.close()
