"""A TCP relay between the browser and the app whose link the test can cut, like a bad radio link.

`drop()` resets every open connection (event streams, websockets, keep-alive sockets);
`down()` refuses new connections until `up()`. `silence()` is the radio or satellite link that
dies without closing anything: sockets stay open, new ones are accepted, but no byte moves in
either direction until `speak()`. Nothing of the app is replaced: the browser talks to the
real server through a real socket that the test can break.
"""

import asyncio
import contextlib


class LinkDrop:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.is_up = True
        self.flowing = asyncio.Event()
        self.flowing.set()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self.drop()
        self.server.close()
        await self.server.wait_closed()

    def down(self) -> None:
        self.is_up = False
        self.drop()

    def up(self) -> None:
        self.is_up = True
        self.flowing = asyncio.Event()
        self.flowing.set()

    def silence(self) -> None:
        self.flowing.clear()

    def speak(self) -> None:
        self.flowing.set()

    def drop(self) -> None:
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.is_up:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.writers -= {writer, up_writer}

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError, OSError):
            while data := await reader.read(65536):
                await self.flowing.wait()  # held while silent, delivered if the link comes back
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()
