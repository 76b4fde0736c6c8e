"""A real WebRTC peer on each side (aiortc) connects through the consult's signalling, on loopback."""

import asyncio

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from .party import Party
from .test_sessions import accepted_consult


def trickle(sdp: str) -> tuple[str, list[str]]:
    """Split the candidates out of an SDP, so they travel as separate `ice` signals as browsers send them."""
    lines = sdp.splitlines()
    candidates = [line[2:] for line in lines if line.startswith("a=candidate:")]
    rest = [line for line in lines if not line.startswith("a=candidate:") and line != "a=end-of-candidates"]
    return "\r\n".join(rest) + "\r\n", candidates


async def test_two_aiortc_peers_open_a_data_channel_through_the_service(client, specialist, consult):
    created, clinician_h, spec_h = await accepted_consult(client, specialist, consult)
    clinician = await Party.join(client, created["id"], clinician_h)
    doctor = await Party.join(client, created["id"], spec_h)
    caller, callee = RTCPeerConnection(), RTCPeerConnection()
    try:
        channel = caller.createDataChannel("consult")
        opened = asyncio.Event()
        channel.on("open", opened.set)
        received: asyncio.Future = asyncio.get_running_loop().create_future()

        @callee.on("datachannel")
        def on_channel(remote) -> None:
            remote.on("message", lambda message: received.done() or received.set_result(message))

        await caller.setLocalDescription(await caller.createOffer())
        sdp, candidates = trickle(caller.localDescription.sdp)
        assert candidates, "aiortc gathered no loopback candidate"
        for candidate in candidates:
            await clinician.send(type="signal", signal={"kind": "ice", "candidate": candidate, "sdpMid": "0"})
        await clinician.send(type="signal", signal={"kind": "offer", "sdp": sdp})

        ice = []
        while True:
            frame = await doctor.next("signal")
            assert frame["from"] == "clinician"
            if frame["signal"]["kind"] == "offer":
                break
            ice.append(frame["signal"])
        assert [s["candidate"] for s in ice] == candidates
        await callee.setRemoteDescription(RTCSessionDescription(frame["signal"]["sdp"], "offer"))
        for signal in ice:
            candidate = candidate_from_sdp(signal["candidate"].removeprefix("candidate:"))
            candidate.sdpMid = signal["sdpMid"]
            await callee.addIceCandidate(candidate)
        await callee.setLocalDescription(await callee.createAnswer())
        await doctor.send(type="signal", signal={"kind": "answer", "sdp": callee.localDescription.sdp})

        answer = await clinician.next("signal")
        assert answer["from"] == "specialist" and answer["signal"]["kind"] == "answer"
        await caller.setRemoteDescription(RTCSessionDescription(answer["signal"]["sdp"], "answer"))
        await asyncio.wait_for(opened.wait(), 15)
        channel.send("pupils equal and reactive")
        assert await asyncio.wait_for(received, 15) == "pupils equal and reactive"
    finally:
        await caller.close()
        await callee.close()
        await clinician.close()
        await doctor.close()


async def test_turn_credentials_follow_coturns_shared_secret_scheme(aiohttp_client, make_app, specialist, consult):
    import base64
    import hashlib
    import hmac

    app = await aiohttp_client(make_app(turn_urls=["turn:turn.example:3478?transport=udp"], turn_secret="s3cret",
                                        turn_ttl_s=600))
    created, clinician_h, _ = await accepted_consult(app, specialist, consult)
    clinician = await Party.join(app, created["id"], clinician_h)
    [server] = clinician.welcome["ice_servers"]
    expiry, _, user = server["username"].partition(":")
    assert user.startswith("clinician-") and int(expiry) > 0 and server["ttl"] == 600
    expected = base64.b64encode(hmac.new(b"s3cret", server["username"].encode(), hashlib.sha1).digest()).decode()
    assert server["credential"] == expected
    await clinician.send(type="turn")
    assert (await clinician.next("turn"))["ice_servers"][0]["urls"] == ["turn:turn.example:3478?transport=udp"]
    await clinician.close()
