"""A small theatre around Bria (CAR) seeded straight into a database, and radio calls that carry
a client-chosen call sign, so a test can count rows per call."""

import uuid
from dataclasses import dataclass

from medevac import auth
from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.facilities import store as facilities
from medevac.facilities.model import FacilityCreate
from medevac.missions import store as missions
from medevac.missions.model import MissionCreate
from tests.dispatch.conftest import HELO, LEVEL_I, LEVEL_II


@dataclass
class Theatre:
    mission_id: uuid.UUID
    level_ii: uuid.UUID
    helos: list[uuid.UUID]


async def seed(conn, *, helicopters: int = 2, approval: str = "manual") -> Theatre:
    mission = await missions.create(conn, MissionCreate(name=f"Reliability {uuid.uuid4().hex[:6]}",
                                                        time_zone="Africa/Bangui", approval=approval))
    level_ii = await facilities.create(conn, mission.id, FacilityCreate(**LEVEL_II | {"beds": 200,
                                                                                      "usable_beds": 200}))
    await facilities.create(conn, mission.id, FacilityCreate(**LEVEL_I))
    helos = [await assets.create(conn, mission.id, AssetCreate(callsign=f"UNO-{n}", base={"lat": 6.52, "lon": 21.98},
                                                               **HELO))
             for n in range(helicopters)]
    return Theatre(mission.id, level_ii.id, [h.id for h in helos])


async def bearer(conn, role: str, mission_id: uuid.UUID | None, user: str | None = None) -> dict:
    secret = await auth.create_token(conn, user=user or f"{role}-{uuid.uuid4().hex[:6]}", role=role,
                                     mission_id=mission_id)
    return {"Authorization": f"Bearer {secret}"}


def radio_call(call_sign: str, precedence: str = "URGENT") -> bytes:
    """A labelled lat/lon 9-line whose line 2 carries `call_sign` (stored in raw_text)."""
    return (f"LOCATION: 6.6 N 22.05 E\nFREQ/CALLSIGN: 123.45 MHz {call_sign}\nPRECEDENCE: {precedence} 1\n"
            "SPECIAL EQUIPMENT: NONE\nPATIENTS BY TYPE: LITTER 1\n").encode()
