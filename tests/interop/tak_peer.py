"""A TAK peer built from PyPI's TAK client libraries: pytak connects, reads and writes the stream as
its workers do; takproto converts every event it receives the way TAK clients parse CoT."""

import asyncio
import xml.etree.ElementTree as ET
from configparser import ConfigParser

import pytak
import takproto


def nine_line_cot(uid: str, *, lat: float = 6.61, lon: float = 22.02, **medevac: str) -> bytes:
    """A 9-line as ATAK's MEDEVAC tool sends it: `b-r-f-h-c` with a `_medevac_` detail."""
    event = pytak.gen_cot_xml(lat=lat, lon=lon, uid=uid, cot_type="b-r-f-h-c", callsign="WARHORSE 21", stale=3600)
    attributes = {"title": "MED.21", "freq": "45.500", "urgent": "1", "priority": "1", "litter": "1",
                  "ambulatory": "1", "equipment_none": "true", "security": "1", "hlz_marking": "0",
                  "nonus_military": "2", "casevac": "false", "zone_prot_selection": "0"} | medevac
    detail = event.find("detail")
    element = ET.SubElement(detail, "_medevac_", attributes)
    mists = ET.SubElement(element, "zMistsMap")
    ET.SubElement(mists, "zMist", title="ZMIST1", z="BGD-0412", m="GSW", i="left thigh", s="HR 120", t="TQ")
    return ET.tostring(event)


def ping() -> bytes:
    return ET.tostring(pytak.gen_cot_xml(lat=0, lon=0, uid="peer-ping", cot_type="t-x-c-t"))


class TakPeer:
    def __init__(self, reader, writer, config) -> None:
        self.rx = pytak.RXWorker(asyncio.Queue(), config, reader)
        self.tx = pytak.TXWorker(asyncio.Queue(), config, writer)
        self.writer = writer
        self.seen: list[tuple[ET.Element, object]] = []

    @classmethod
    async def connect(cls, port: int, scheme: str = "tcp", **config: str) -> "TakPeer":
        parser = ConfigParser()
        parser["peer"] = {"COT_URL": f"{scheme}://127.0.0.1:{port}", "TAK_PROTO": "0"} | config
        reader, writer = await pytak.protocol_factory(parser["peer"])
        return cls(reader, writer, parser["peer"])

    async def send(self, data: bytes) -> None:
        await self.tx.send_data(data)

    async def next(self) -> tuple[ET.Element, object]:
        raw = await self.rx.readcot()
        assert raw, "the service closed the stream"
        # As TAK clients carry it: converted to TAK Protocol v1 (protobuf) and parsed back; must not raise.
        message = takproto.parse_proto(takproto.xml2proto(raw))
        event = ET.fromstring(raw)
        assert message.cotEvent.type == event.get("type") and message.cotEvent.uid == event.get("uid")
        self.seen.append((event, message))
        return event, message

    async def until(self, predicate, timeout: float = 15.0) -> tuple[ET.Element, object]:
        async with asyncio.timeout(timeout):
            while True:
                event, message = await self.next()
                if predicate(event):
                    return event, message

    async def roundtrip(self) -> None:
        """Ping and wait for the pong: everything sent before has been handled (one reader per stream)."""
        await self.send(ping())
        await self.until(lambda e: e.get("type") == "t-x-c-t-r")

    def close(self) -> None:
        self.writer.close()
