"""The mission under load: the demo theatre plus a larger fleet, its users and open consults."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import aiohttp

from medevac import auth
from medevac.db.pool import create_pool
from medevac.demo import DEMO_MISSION, seed as seed_demo
from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.events import record_change
from medevac.telemed import specialists
from medevac.telemed.model import SpecialistCreate

# Forward bases of the extra fleet: ground ambulances and utility helicopters at the Level Is and IIs.
FORWARD_BASES = [(4.39, 18.52), (6.54, 21.99), (5.94, 15.60), (7.00, 19.18), (4.74, 22.82), (10.29, 22.78),
                 (5.03, 25.14)]
MIST = {"mechanism": "fall from vehicle", "injuries": "closed femur fracture, right", "signs": "HR 104",
        "treatment": "traction splint, paracetamol", "age": "30-40"}


@dataclass
class Fixture:
    """Everything the generator and the consoles need: ids and bearer tokens by purpose."""

    mission_id: str
    consoles: list[str] = field(default_factory=list)  # dispatchers watching the board live
    readers: list[str] = field(default_factory=list)  # dispatchers whose consoles re-read the board
    callers: list[str] = field(default_factory=list)  # field radio operators sending 9-lines
    trackers: dict[str, str] = field(default_factory=dict)  # asset id -> its position reporter's token
    chats: list[tuple[str, str, str]] = field(default_factory=list)  # (consult id, clinician, specialist)
    slow: list[str] = field(default_factory=list)  # field users of the slow clients (--slowloris)
    admin: str = ""


async def seed(dsn: str, *, consoles: int, readers: int = 40, callers: int = 40, extra_assets: int = 54,
               consults: int = 30, slow: int = 0) -> tuple[Fixture, dict[str, str]]:
    """Seed the mission and its users; returns the fixture and specialist user -> token (for accepting)."""
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            async with conn.transaction():
                await seed_demo(conn)
                for i in range(extra_assets):
                    await _add_asset(conn, i)
            fx = Fixture(str(DEMO_MISSION))

            async def tokens(prefix: str, role: str, n: int) -> list[str]:
                return [await auth.create_token(conn, user=f"{prefix}-{i}", role=role, mission_id=DEMO_MISSION)
                        for i in range(n)]

            fx.consoles = await tokens("console", "dispatcher", consoles)
            fx.readers = await tokens("reader", "dispatcher", readers)
            fx.callers = await tokens("rto", "field", callers)
            fx.slow = await tokens("slow", "field", slow)
            fx.admin = (await tokens("load-admin", "admin", 1))[0]
            for row in await conn.fetch("SELECT id, callsign FROM assets WHERE mission_id = $1", DEMO_MISSION):
                fx.trackers[str(row["id"])] = await auth.create_token(
                    conn, user=f"tracker-{row['callsign']}", role="dispatcher", mission_id=DEMO_MISSION)
            specialist_tokens = {}
            now = datetime.now(timezone.utc)
            for i in range(consults):
                spec = SpecialistCreate(user_id=f"dr-{i}", name=f"Dr Load {i}", specialty="orthopaedics",
                                        languages=["en"], load_limit=1,
                                        windows=[{"starts_at": now - timedelta(hours=1),
                                                  "ends_at": now + timedelta(days=2)}])
                created = await specialists.create(conn, DEMO_MISSION, spec)
                specialist_tokens[str(created.id)] = await auth.create_token(
                    conn, user=spec.user_id, role="specialist", mission_id=DEMO_MISSION)
            fx.chats = [("", token, "") for token in await tokens("medic", "clinician", consults)]
    finally:
        await pool.close()
    return fx, specialist_tokens


async def _add_asset(conn, i: int) -> None:
    lat, lon = FORWARD_BASES[i % len(FORWARD_BASES)]
    helicopter = i % 3 == 0
    spec = AssetCreate(
        callsign=f"LOAD-{i:02d}", kind="helicopter" if helicopter else "ground", role="medevac",
        model="Bell 412" if helicopter else "Land Cruiser", base={"lat": lat, "lon": lon},
        cruise_kmh=220 if helicopter else 40, range_km=700 if helicopter else 400, litters=4 if helicopter else 2,
        seats=6 if helicopter else 2, night_capable=i % 2 == 0, notice_to_move_min={"day": 15, "night": 30})
    created = await assets.create(conn, DEMO_MISSION, spec)
    await record_change(conn, None, event="asset.created", entity="asset", entity_id=created.id,
                        mission_id=DEMO_MISSION, after=created.model_dump(mode="json"))


async def open_consults(base_url: str, fx: Fixture, specialist_tokens: dict[str, str]) -> None:
    """Each clinician asks for a consult and the specialist it is offered to accepts: chat is open."""
    chats = []
    async with aiohttp.ClientSession(base_url) as http:
        for _, clinician, _ in fx.chats:
            body = {"specialty": "orthopaedics", "urgency": "routine", "language": "en",
                    "question": "Splint and wait, or evacuate today?", "summary": MIST}
            async with http.post("/v1/consults", json=body, headers=bearer(clinician)) as r:
                consult = await r.json()
                assert r.status == 201, consult
            [offer] = [o for o in consult["offers"] if o["status"] == "open"]
            specialist = specialist_tokens[offer["specialist_id"]]
            async with http.post(f"/v1/consults/{consult['id']}/accept", headers=bearer(specialist)) as r:
                assert r.status == 200, await r.text()
            chats.append((consult["id"], clinician, specialist))
    fx.chats = chats


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
