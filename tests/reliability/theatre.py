"""A small theatre around Bria (CAR) seeded straight into a database, and radio calls that carry
a client-chosen call sign, so a test can count rows per call."""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from medevac.dispatch.nineline import parse_text
from medevac.dispatch.requests import intake, store as requests
from medevac.missions import store as missions
from medevac.missions.model import MissionCreate
from tests import factories


@dataclass
class Laydown:
    """A seeded mission by ids, as the tests send them."""

    mission_id: uuid.UUID
    level_ii: uuid.UUID
    helos: list[uuid.UUID]


async def seed(conn, *, helicopters: int = 2, approval: str = "manual", spread_deg: float = 0.0) -> Laydown:
    """A mission of its own with the shared theatre, its Level II large enough for a surge."""
    mission = await missions.create(conn, MissionCreate(name=f"Reliability {uuid.uuid4().hex[:6]}",
                                                        time_zone="Africa/Bangui", approval=approval))
    seeded = await factories.theatre(conn, mission.id, helicopters=helicopters, spread_deg=spread_deg,
                                     level_ii=factories.LEVEL_II | {"beds": 200, "usable_beds": 200})
    return Laydown(mission.id, seeded.level_ii.id, [h.id for h in seeded.helos])


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
