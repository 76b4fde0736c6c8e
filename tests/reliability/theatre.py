"""A small theatre around Bria (CAR) seeded straight into a database, and radio calls that carry
a client-chosen call sign, so a test can count rows per call."""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from medevac import auth
from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.dispatch.nineline import parse_text
from medevac.dispatch.requests import intake, store as requests
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


async def seed(conn, *, helicopters: int = 2, approval: str = "manual", spread_deg: float = 0.0) -> Theatre:
    mission = await missions.create(conn, MissionCreate(name=f"Reliability {uuid.uuid4().hex[:6]}",
                                                        time_zone="Africa/Bangui", approval=approval))
    level_ii = await facilities.create(conn, mission.id, FacilityCreate(**LEVEL_II | {"beds": 200,
                                                                                      "usable_beds": 200}))
    await facilities.create(conn, mission.id, FacilityCreate(**LEVEL_I))
    rng = random.Random(helicopters)
    helos = [await assets.create(conn, mission.id, AssetCreate(
                 callsign=f"UNO-{n}", base={"lat": 6.52 + rng.uniform(0, spread_deg),
                                            "lon": 21.98 + rng.uniform(0, spread_deg)}, **HELO))
             for n in range(helicopters)]
    return Theatre(mission.id, level_ii.id, [h.id for h in helos])


async def bearer(conn, role: str, mission_id: uuid.UUID | None, user: str | None = None) -> dict:
    secret = await auth.create_token(conn, user=user or f"{role}-{uuid.uuid4().hex[:6]}", role=role,
                                     mission_id=mission_id)
    return {"Authorization": f"Bearer {secret}"}


def radio_call(call_sign: str, precedence: str = "URGENT 1", lat: float = 6.6, lon: float = 22.05,
               patients: str = "LITTER 1") -> bytes:
    """A labelled lat/lon 9-line whose line 2 carries `call_sign` (stored in raw_text)."""
    return (f"LOCATION: {lat} N {lon} E\nFREQ/CALLSIGN: 123.45 MHz {call_sign}\nPRECEDENCE: {precedence}\n"
            f"SPECIAL EQUIPMENT: NONE\nPATIENTS BY TYPE: {patients}\n").encode()


async def seed_surge(conn, mission_id: uuid.UUID, *, sites: int, seed: int = 1) -> None:
    """Three casualties at each of `sites` pickups spread over ~2 degrees: a mass-casualty day."""
    rng = random.Random(seed)
    for n in range(sites):
        text = radio_call(f"SURGE{n}", "URGENT 1 URGENT SURGICAL 1 PRIORITY 1", lat=round(5.8 + rng.uniform(0, 2), 3),
                          lon=round(21.0 + rng.uniform(0, 2), 3), patients="LITTER 2 AMBULATORY 1").decode()
        await requests.create(conn, mission_id, intake.to_intake(parse_text(text), None), source="radio",
                              raw_text=text, created_by="surge", called_at=datetime.now(timezone.utc))
