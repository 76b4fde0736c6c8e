"""A MINUSCA-like demo mission (facts from shared geography.md), seeded into an empty database."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import structlog
from aiohttp import web

from medevac import auth
from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.events import record_change
from medevac.facilities import store as facilities
from medevac.facilities.model import FacilityCreate
from medevac.keys import pool_key, settings_key
from medevac.missions import store as missions
from medevac.missions.model import MissionCreate
from medevac.telemed import specialists
from medevac.telemed.matcher import Shift, on_call
from medevac.telemed.model import SpecialistCreate, WindowCreate

log = structlog.get_logger(__name__)
DEMO_MISSION = uuid.UUID("6d696e75-7363-6100-0000-000000000001")

SURGICAL = ["resuscitation", "damage_control_surgery", "surgery", "icu", "blood", "lab", "xray"]
FACILITIES = [
    # name, level, lat, lon, capabilities, beds, icu, tables, night landing, refuel
    ("Bangui Level II+ (Serbian)", 2, 4.39, 18.52, SURGICAL + ["orthopaedics"], 20, 3, 2, True, True),
    ("Bria Level II (Rwandan)", 2, 6.54, 21.99, SURGICAL + ["obstetrics", "internal_medicine"], 15, 3, 1, False, True),
    ("Bouar Level II (Bangladeshi)", 2, 5.94, 15.60, SURGICAL, 15, 2, 1, False, True),
    ("Kaga-Bandoro Level I", 1, 7.00, 19.18, ["resuscitation"], 5, 0, 0, False, False),
    ("Bangassou Level I", 1, 4.74, 22.82, ["resuscitation"], 5, 0, 0, False, False),
    ("Birao Level I", 1, 10.29, 22.78, ["resuscitation"], 5, 0, 0, False, False),
    ("Zemio Level I", 1, 5.03, 25.14, ["resuscitation"], 5, 0, 0, False, False),
    ("Nakasero Hospital, Kampala", 4, 0.32, 32.58,
     SURGICAL + ["ct", "neurosurgery", "burns", "radiology"], 50, 8, 4, True, True),
]
ASSETS = [
    # callsign, kind, role, model, lat, lon, kmh, range, litters, seats, night, hoist, armed, ntm day/night
    ("UNO-325P", "helicopter", "medevac", "Mi-17", 4.40, 18.52, 220, 950, 12, 20, False, False, False, 30, 45),
    ("UNO-326P", "helicopter", "casevac", "Mi-17", 4.40, 18.52, 220, 950, 12, 20, False, False, False, 30, 45),
    ("BANAIR-1", "helicopter", "casevac", "Mi-171Sh", 4.40, 18.52, 230, 900, 12, 20, True, False, True, 30, 45),
    ("TUNAF-1", "helicopter", "medevac", "AB205", 4.40, 18.52, 180, 500, 4, 6, False, True, True, 15, 30),
    ("AMB-BRIA-1", "ground", "medevac", "Land Cruiser", 6.54, 21.99, 40, 400, 2, 2, True, False, False, 5, 10),
    ("UNO-FW-1", "fixed_wing", "medevac", "Learjet 35", 4.40, 18.52, 750, 3500, 2, 4, True, False, False, 90, 120),
]

# On call for the demo's specialties, so a clinician's consult is offered to someone who can take it:
# user, name, specialty, facility they work at, languages. `demo-specialist` is the role token printed
# first; the console's consult form offers trauma surgery first.
SPECIALISTS = [
    ("demo-specialist", "Dr A. Petrović", "trauma_surgery", "Bangui Level II+ (Serbian)", ["en", "fr"]),
    ("demo-specialist-orthopaedics", "Dr M. Jovanović", "orthopaedics", "Bangui Level II+ (Serbian)", ["en"]),
    ("demo-specialist-internal-medicine", "Dr J. Uwimana", "internal_medicine", "Bria Level II (Rwandan)", ["fr"]),
    ("demo-specialist-obstetrics", "Dr C. Mukamana", "obstetrics", "Bria Level II (Rwandan)", ["en", "fr"]),
    ("demo-specialist-neurosurgery", "Dr R. Okello", "neurosurgery", "Nakasero Hospital, Kampala", ["en"]),
    ("demo-specialist-burns", "Dr S. Nakato", "burns", "Nakasero Hospital, Kampala", ["en"]),
]
ON_CALL = timedelta(days=30)  # renewed at every demo start, so a kept demo database stays usable



async def seed(conn) -> None:
    """Create the demo mission, its facilities and assets, each audited like any change."""
    mission = await missions.create(conn, MissionCreate(id=DEMO_MISSION, name="MINUSCA (demo)",
                                                        time_zone="Africa/Bangui"))
    await record_change(conn, None, event="mission.created", entity="mission", entity_id=mission.id,
                        mission_id=mission.id, after=mission.model_dump(mode="json"))
    for name, level, lat, lon, caps, beds, icu, tables, night, refuel in FACILITIES:
        spec = FacilityCreate(name=name, level=level, location={"lat": lat, "lon": lon}, capabilities=caps,
                              beds=beds, usable_beds=beds, icu_beds=icu, operating_tables=tables,
                              night_landing=night, refuel=refuel)
        created = await facilities.create(conn, mission.id, spec)
        await record_change(conn, None, event="facility.created", entity="facility", entity_id=created.id,
                            mission_id=mission.id, after=created.model_dump(mode="json"))
    for callsign, kind, role, model, lat, lon, kmh, rng, lit, seats, night, hoist, armed, day, nt in ASSETS:
        spec = AssetCreate(callsign=callsign, kind=kind, role=role, model=model, base={"lat": lat, "lon": lon},
                           cruise_kmh=kmh, range_km=rng, litters=lit, seats=seats, night_capable=night,
                           hoist=hoist, armed=armed, notice_to_move_min={"day": day, "night": nt})
        created = await assets.create(conn, mission.id, spec)
        await record_change(conn, None, event="asset.created", entity="asset", entity_id=created.id,
                            mission_id=mission.id, after=created.model_dump(mode="json"))


async def put_specialists_on_call(conn, now: datetime) -> None:
    """Register the demo specialists that are missing and put anyone off call back on call, audited.
    Runs at every start: a demo database seeded before the specialists existed gets them too."""
    for user, name, specialty, facility, languages in SPECIALISTS:
        shift = WindowCreate(kind="on_call", starts_at=now, ends_at=now + ON_CALL, note="demo: on call")
        found = await specialists.for_user(conn, user)
        if found is None:
            facility_id = await conn.fetchval("SELECT id FROM facilities WHERE mission_id = $1 AND name = $2",
                                              DEMO_MISSION, facility)
            spec = SpecialistCreate(user_id=user, name=name, specialty=specialty, facility_id=facility_id,
                                    languages=languages, windows=[shift])
            created = await specialists.create(conn, DEMO_MISSION, spec)
            await record_change(conn, None, event="specialist.created", entity="specialist",
                                entity_id=created.id, mission_id=DEMO_MISSION,
                                after=created.model_dump(mode="json", exclude={"online"}))
        elif not on_call(tuple(Shift(w.kind, w.starts_at, w.ends_at) for w in found.windows), now):
            window = await specialists.add_window(conn, found.id, shift)
            await record_change(conn, None, event="specialist.window_added", entity="specialist",
                                entity_id=found.id, mission_id=DEMO_MISSION, after=window.model_dump(mode="json"))


async def demo_ctx(app: web.Application) -> AsyncIterator[None]:
    async with app[pool_key].acquire() as conn:
        async with conn.transaction():
            # Two replicas started with --demo must not both seed.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('medevac.demo'))")
            if not await conn.fetchval("SELECT exists(SELECT 1 FROM missions)"):
                await seed(conn)
                log.info("demo.seeded", mission=str(DEMO_MISSION))
            if await conn.fetchval("SELECT exists(SELECT 1 FROM missions WHERE id = $1)", DEMO_MISSION):
                await put_specialists_on_call(conn, datetime.now(UTC))
        # The demo observer is headquarters' planning cell: it may start basing plans.
        tokens = {role: await auth.create_token(conn, user=f"demo-{role}", role=role, mission_id=DEMO_MISSION,
                                                rights=auth.RIGHTS if role == "observer" else ())
                  for role in auth.ROLES}
        on_call_tokens = {specialty: await auth.create_token(conn, user=user, role="specialist",
                                                             mission_id=DEMO_MISSION)
                          for user, _, specialty, _, _ in SPECIALISTS[1:]}
    settings = app[settings_key]
    url = settings.public_url or f"http://{settings.host}:{settings.port}"
    lines = [f"medevac demo: console at {url}/console/  (mission {DEMO_MISSION})", "demo tokens:"]
    lines += [f"  {role:<11} {secret}" for role, secret in tokens.items()]
    lines.append(f"the specialist token answers {SPECIALISTS[0][2]} consults; on call for the other specialties:")
    lines += [f"  {specialty:<17} {secret}" for specialty, secret in on_call_tokens.items()]
    print("\n".join(lines), flush=True)
    yield
