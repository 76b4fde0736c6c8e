"""What many tests build, in one place: registry and teleconsult payloads, a small theatre, bearer
tokens, free ports.

Payload factories take overrides as keyword arguments: `facility(level=2, beds=20)`.
"""

import random
import socket
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from medevac import auth
from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.facilities import store as facilities
from medevac.facilities.model import FacilityCreate

# The theatre around Bria (CAR): the Level II beside the helicopters' base, a Level I at Ndele.
LEVEL_II = dict(name="Bria Level II", level=2, location={"lat": 6.54, "lon": 21.99},
                capabilities=["resuscitation", "damage_control_surgery", "surgery", "icu", "blood"], beds=15,
                usable_beds=10, icu_beds=2, operating_tables=1, helipad=True, night_landing=True, refuel=True)
LEVEL_I = dict(name="Ndele Level I", level=1, location={"lat": 8.41, "lon": 20.65},
               capabilities=["resuscitation"], beds=5, usable_beds=5, helipad=True, night_landing=True)
HELO = dict(kind="helicopter", role="medevac", model="Mi-17", cruise_kmh=220, range_km=900, litters=6,
            seats=10, night_capable=True, hoist=False, armed=False, notice_to_move_min={"day": 15, "night": 30})
HELO_BASE = (6.52, 21.98)


@dataclass
class Theatre:
    mission_id: uuid.UUID
    level_ii: Any  # the stored facility
    level_i: Any | None
    helos: list[Any]  # the stored assets, UNO-1, UNO-2, ...


async def theatre(conn, mission_id: uuid.UUID, *, helicopters: int = 2, level_i: bool = True,
                  level_ii: dict | None = None, spread_deg: float = 0.0) -> Theatre:
    """Seed the theatre straight into the database: night-capable helicopters based at Bria
    (`spread_deg` scatters their bases, the same way for the same count)."""
    second = await facilities.create(conn, mission_id, FacilityCreate(**(level_ii or LEVEL_II)))
    first = await facilities.create(conn, mission_id, FacilityCreate(**LEVEL_I)) if level_i else None
    rng = random.Random(helicopters)
    helos = [await assets.create(conn, mission_id, AssetCreate(
                 callsign=f"UNO-{n}", base={"lat": HELO_BASE[0] + rng.uniform(0, spread_deg),
                                            "lon": HELO_BASE[1] + rng.uniform(0, spread_deg)}, **HELO))
             for n in range(1, helicopters + 1)]
    return Theatre(mission_id, second, first, helos)


def facility(**fields) -> dict:
    """A `POST /v1/facilities` body: a five-bed Level 1 near Bria, unless told otherwise."""
    return {"name": "L1", "level": 1, "location": {"lat": 7.0, "lon": 19.18}, "beds": 5, "usable_beds": 5} | fields


def asset(**fields) -> dict:
    """A `POST /v1/assets` body: a ground ambulance, unless told otherwise."""
    return {"callsign": "AMB-1", "kind": "ground", "role": "medevac", "base": {"lat": 7.0, "lon": 19.18},
            "cruise_kmh": 40, "range_km": 300, "litters": 2, "seats": 2,
            "notice_to_move_min": {"day": 5, "night": 10}} | fields


def helicopter(**fields) -> dict:
    """A `POST /v1/assets` body: a medevac helicopter based at Bangui."""
    return asset(callsign="UNO-1", kind="helicopter", base={"lat": 4.4, "lon": 18.52}, cruise_kmh=220,
                 range_km=900, litters=12, seats=20, notice_to_move_min={"day": 30, "night": 45}) | fields


# A casualty's MIST summary as a medic would send it with a consult.
MIST = {"mechanism": "IED blast", "injuries": "open tibia fracture, left", "signs": "HR 118, BP 96/60",
        "treatment": "tourniquet 10:42, morphine 10 mg", "age": "20-30"}


def on_call(hours_before: float = 1, hours_after: float = 48, kind: str = "on_call") -> dict:
    """A roster window around now: from `hours_before` ago to `hours_after` ahead."""
    now = datetime.now(timezone.utc)
    return {"kind": kind, "starts_at": (now - timedelta(hours=hours_before)).isoformat(),
            "ends_at": (now + timedelta(hours=hours_after)).isoformat()}


def specialist(user_id: str, **fields) -> dict:
    """A `POST /v1/specialists` body: an English-speaking orthopaedic surgeon on call for two days."""
    return {"user_id": user_id, "name": "Dr Ortho", "specialty": "orthopaedics", "languages": ["en"],
            "windows": [on_call()]} | fields


def consult(**fields) -> dict:
    """A `POST /v1/consults` body: an urgent orthopaedic question in English, with the MIST summary."""
    return {"specialty": "orthopaedics", "urgency": "urgent", "language": "en",
            "question": "Reduce in the field or evacuate?", "summary": MIST} | fields


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def secret(headers: dict) -> str:
    """The token in bearer headers."""
    return headers["Authorization"].removeprefix("Bearer ")


async def token(conn, role: str, mission_id: uuid.UUID | None, user: str | None = None, *,
                rights: tuple[str, ...] = (), facility_id: uuid.UUID | None = None) -> dict:
    """Bearer headers for a new token of `role` in `mission_id` (None: every mission)."""
    secret = await auth.create_token(conn, user=user or f"{role}-{uuid.uuid4().hex[:6]}", role=role,
                                     mission_id=mission_id, rights=rights, facility_id=facility_id)
    return bearer(secret)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mbtiles(path, tiles: list[tuple[int, int, int, bytes]] | tuple = (), **metadata: str):
    """An MBTiles file (SQLite: metadata and tiles, TMS rows), as a mission's GIS cell would ship one."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)",
                       list({"name": "Mission basemap", "format": "png", **metadata}.items()))
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", tiles)
    return path
