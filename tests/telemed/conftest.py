"""Telemedicine fixtures: specialists on a roster, consults, and websocket parties."""

import asyncio
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest

NOW = datetime.now(timezone.utc)
MIST = {"mechanism": "IED blast", "injuries": "open tibia fracture, left", "signs": "HR 118, BP 96/60",
        "treatment": "tourniquet 10:42, morphine 10 mg", "age": "20-30"}


def shift(hours_before: float = 1, hours_after: float = 48, kind: str = "on_call") -> dict:
    return {"kind": kind, "starts_at": (NOW - timedelta(hours=hours_before)).isoformat(),
            "ends_at": (NOW + timedelta(hours=hours_after)).isoformat()}


@pytest.fixture
def specialist(client, token, mission):
    """`spec, headers = await specialist(name, **fields)`: registered, on call for two days by default."""

    async def make(name: str, **fields) -> tuple[dict, dict]:
        user = f"dr-{name}-{uuid.uuid4().hex[:4]}"
        body = {"user_id": user, "name": f"Dr {name}", "specialty": "orthopaedics", "languages": ["en"],
                "load_limit": 2, "windows": [shift()]} | fields
        mission_id = body.pop("mission", None) or mission.id
        if body.get("serves_missions"):  # serving other missions is linked by a global admin
            admin = await token("admin", mission_id=None)
            body["mission_id"] = str(mission_id)
        else:
            admin = await token("admin", mission_id=mission_id)
        resp = await client.post("/v1/specialists", json=body, headers=admin)
        assert resp.status == 201, await resp.text()
        spec = await resp.json()
        headers = await token("specialist", mission_id=mission_id, user=user)
        return spec, headers

    return make


@pytest.fixture
def consult(client, token):
    """`body = await consult(headers=None, **fields)`: a consult requested by a clinician."""

    async def make(headers: dict | None = None, **fields) -> tuple[dict, dict]:
        headers = headers or await token("clinician")
        body = {"specialty": "orthopaedics", "urgency": "urgent", "language": "en",
                "question": "Reduce in the field or evacuate?", "summary": MIST} | fields
        resp = await client.post("/v1/consults", json=body, headers=headers)
        assert resp.status == 201, await resp.text()
        return await resp.json(), headers

    return make


class Party:
    """One side of a consult websocket: sends frames, collects messages by sequence."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.messages: dict[int, dict] = {}
        self.inbox: asyncio.Queue = asyncio.Queue()

    @classmethod
    async def join(cls, client, consult_id: str, headers: dict, held: "Party | None" = None) -> "Party":
        """Connect; a `held` party's messages carry over and it resumes after the last of them."""
        after = held.last_seq() if held else 0
        ws = await client.ws_connect(f"/v1/consults/{consult_id}/ws", params={"after": after}, headers=headers)
        party = cls(ws)
        party.messages = dict(held.messages) if held else {}
        party.welcome = await party.next("welcome")
        return party

    async def send(self, **frame) -> None:
        await self.ws.send_str(json.dumps(frame))

    async def next(self, kind: str, timeout: float = 10) -> dict:
        """The next frame of a kind; messages on the way are recorded, other frames kept."""
        async with asyncio.timeout(timeout):
            while True:
                msg = await self.ws.receive()
                assert msg.type.name == "TEXT", msg
                frame = json.loads(msg.data)
                if frame["type"] == "message":
                    assert frame["seq"] not in self.messages, f"duplicate delivery of {frame['seq']}"
                    self.messages[frame["seq"]] = frame
                if frame["type"] == kind:
                    return frame
                if frame["type"] != "message":
                    self.inbox.put_nowait(frame)

    async def until_seq(self, seq: int, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout):
            while max(self.messages, default=0) < seq:
                await self.next("message", timeout)

    def last_seq(self) -> int:
        return max(self.messages, default=0)

    def texts(self) -> list[str]:
        return [self.messages[s]["text"] for s in sorted(self.messages)]

    async def close(self) -> None:
        await self.ws.close()
