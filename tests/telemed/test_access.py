"""Only the consult's two parties read the chat or signal; browsers from other sites are refused."""

import uuid

import aiohttp
import pytest

from .party import Party
from .test_sessions import accepted_consult

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


async def refused(client, consult_id: str, headers: dict) -> int:
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await client.ws_connect(f"/v1/consults/{consult_id}/ws", headers=headers)
    return err.value.status


async def test_a_third_user_can_neither_read_nor_signal(client, token, specialist, consult):
    created, clinician_h, spec_h = await accepted_consult(client, specialist, consult)
    cid = created["id"]
    other_clinician = await token("clinician")
    other_spec, other_spec_h = await specialist("Elsewhere")
    theirs, theirs_clinician_h = await consult()
    assert (await client.post(f"/v1/consults/{theirs['id']}/accept", headers=other_spec_h)).status == 200

    for intruder in (other_clinician, other_spec_h, await token("dispatcher")):
        assert await refused(client, cid, intruder) == 403
        assert (await client.get(f"/v1/consults/{cid}/messages", headers=intruder)).status == 403
        sent = await client.post(f"/v1/consults/{cid}/messages", json={"client_id": "x", "text": "hi"},
                                 headers=intruder)
        assert sent.status == 403
    assert (await client.get(f"/v1/consults/{cid}", headers=other_clinician)).status == 403

    clinician = await Party.join(client, cid, clinician_h)
    doctor = await Party.join(client, cid, spec_h)
    # The other consult's specialist signals on its own consult: nothing reaches this one.
    outsider = await Party.join(client, theirs["id"], other_spec_h)
    await outsider.send(type="signal", signal={"kind": "offer", "sdp": "v=0 injected"})
    await outsider.send(type="message", client_id="o-1", text="injected")
    await outsider.next("ack")
    await clinician.send(type="signal", signal={"kind": "offer", "sdp": "v=0 genuine"})
    first = await doctor.next("signal")  # hub order: the injected one would have come first
    assert first["signal"]["sdp"] == "v=0 genuine"
    await clinician.send(type="message", client_id="c-1", text="genuine")
    await doctor.until_seq(1)
    assert doctor.texts() == ["genuine"]
    for party in (clinician, doctor, outsider):
        await party.close()


async def test_an_offered_specialist_reads_the_consult_but_joins_only_after_accepting(client, specialist, consult):
    spec, spec_h = await specialist("Offered")
    created, _ = await consult()
    assert (await client.get(f"/v1/consults/{created['id']}", headers=spec_h)).status == 200
    assert await refused(client, created["id"], spec_h) == 403


async def test_a_cross_origin_handshake_is_refused(client, specialist, consult):
    created, clinician_h, _ = await accepted_consult(client, specialist, consult)
    assert await refused(client, created["id"], clinician_h | {"Origin": "https://evil.example"}) == 403
    host = f"{client.server.host}:{client.server.port}"
    party = await Party.join(client, created["id"], clinician_h | {"Origin": f"http://{host}"})
    await party.close()


async def test_attachments_are_typed_by_their_bytes_and_kept_between_the_parties(
        aiohttp_client, make_app, token, specialist, consult):
    app = await aiohttp_client(make_app(telemed_attachment_max_bytes=4096))
    created, clinician_h, spec_h = await accepted_consult(app, specialist, consult)
    url = f"/v1/consults/{created['id']}/attachments"
    png = await app.post(url, data=PNG, headers=clinician_h | {"Content-Type": "image/png", "X-Filename": "leg.png"})
    assert png.status == 201, await png.text()
    attachment = await png.json()
    assert attachment["media_type"] == "image/png" and attachment["size_bytes"] == len(PNG)
    pdf = await app.post(url, data=PDF, headers=spec_h | {"Content-Type": "application/pdf"})
    assert pdf.status == 201
    liar = await app.post(url, data=b"<script>alert(1)</script>", headers=clinician_h | {"Content-Type": "image/png"})
    assert liar.status == 415 and (await liar.json())["errors"][0]["field"] == "Content-Type"
    exe = await app.post(url, data=b"MZ\x90\x00", headers=clinician_h | {"Content-Type": "application/x-msdownload"})
    assert exe.status == 415
    big = await app.post(url, data=PNG + b"\x00" * 5000, headers=clinician_h | {"Content-Type": "image/png"})
    assert big.status == 413

    got = await app.get(f"{url}/{attachment['id']}", headers=spec_h)
    assert got.status == 200 and await got.read() == PNG
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert (await app.get(f"{url}/{attachment['id']}", headers=await token("clinician"))).status == 403
    assert (await app.get(f"{url}/{uuid.uuid4()}", headers=spec_h)).status == 404
    message = {"client_id": "img-1", "text": "", "attachment_id": attachment["id"]}
    posted = await app.post(f"/v1/consults/{created['id']}/messages", json=message, headers=clinician_h)
    assert (await posted.json())["attachment_id"] == attachment["id"]
