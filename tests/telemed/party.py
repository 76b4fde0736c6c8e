"""One side of a consult websocket, as the tests drive it."""

import asyncio
import json


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
