"""The mission's picture as CoT events, read from the database: on connect, and on each change."""

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import asyncpg

from medevac.dispatch.assets import store as assets
from medevac.dispatch.evacuations import store as evacuations
from medevac.dispatch.evacuations.machine import LIVE
from medevac.dispatch.requests import store as requests
from medevac.facilities import store as facilities
from medevac.interop.cot import codes, out

SHOWN = ("open", "tasked")  # a 9-line stays on the map until its casualties are handed over


class Picture:
    def __init__(self, mission_id: uuid.UUID, stale_s: float) -> None:
        self.mission_id, self.stale_s = mission_id, stale_s

    async def everything(self, conn: asyncpg.Connection) -> list[ET.Element]:
        now = datetime.now(timezone.utc)
        items = [out.facility_event(f, now=now, stale_s=self.stale_s) for f in await facilities.list_for(
            conn, self.mission_id, status=None, level=None, after=None, limit=10_000)]
        rows = await assets.list_rows(conn, self.mission_id, status=None, kind=None, after=None, limit=10_000)
        items += [out.asset_event(assets.asset(r), now=now, stale_s=self.stale_s) for r in rows]
        ids = await conn.fetch("SELECT id FROM evac_requests WHERE mission_id = $1 AND status = ANY($2)",
                               self.mission_id, list(SHOWN))
        for row in ids:
            items += await self.request(conn, row["id"], now)
        return items

    async def changed(self, conn: asyncpg.Connection, entity: str, entity_id: str) -> list[ET.Element]:
        """What TAK clients must be told after an event about this entity."""
        now = datetime.now(timezone.utc)
        ident = uuid.UUID(entity_id)
        if entity == "asset":
            asset = await assets.get(conn, ident)
            return [out.asset_event(asset, now=now, stale_s=self.stale_s)] if asset else []
        if entity == "facility":
            facility = await facilities.get(conn, ident)
            return [out.facility_event(facility, now=now, stale_s=self.stale_s)] if facility else []
        if entity == "evac_request":
            return await self.request(conn, ident, now)
        if entity == "evacuation":
            evacuation = await evacuations.get(conn, ident)
            if evacuation is None:
                return []
            return [*await self.request(conn, evacuation.request_id, now),
                    *await self.changed(conn, "asset", str(evacuation.asset_id))]
        return []

    async def request(self, conn: asyncpg.Connection, request_id: uuid.UUID, now: datetime) -> list[ET.Element]:
        request = await requests.get(conn, request_id)
        if request is None:
            return []
        cot_uid = await conn.fetchval("SELECT cot_uid FROM evac_requests WHERE id = $1", request_id)
        if request.status not in SHOWN:
            return [out.delete_event(codes.request_uid(request.id, cot_uid), now=now)]
        live = [e for e in await evacuations.list_for(conn, None, state=None, request_id=request_id, after=None,
                                                      limit=50) if e.state in LIVE]
        evacuation = live[-1] if live else None
        asset = await assets.get(conn, evacuation.asset_id) if evacuation else None
        facility = await facilities.get(conn, evacuation.facility_id) if evacuation else None
        return [out.medevac_event(request, cot_uid, evacuation, asset and asset.callsign, facility and facility.name,
                                  now=now, stale_s=self.stale_s)]
