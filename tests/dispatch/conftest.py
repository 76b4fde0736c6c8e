"""Fixtures for the evacuation service tests: a small theatre around Bria (CAR) and radio calls."""

import uuid

import pytest

from medevac.dispatch.assets import store as assets
from medevac.dispatch.planning.loop import PlannerSettings, planner_settings_key
from medevac.dispatch.assets.model import AssetCreate
from medevac.facilities import store as facilities
from medevac.facilities.model import FacilityCreate

# Pickup 34N FN 16075 29652 is about 10 km from the Level II; both aircraft fly at night so
# the tests hold whatever the sun does over Bria when they run.
PICKUP_GRID = "34NFN1607529652"
LEVEL_II = dict(name="Bria Level II", level=2, location={"lat": 6.54, "lon": 21.99},
                capabilities=["resuscitation", "damage_control_surgery", "surgery", "icu", "blood"], beds=15,
                usable_beds=10, icu_beds=2, operating_tables=1, helipad=True, night_landing=True, refuel=True)
LEVEL_I = dict(name="Ndele Level I", level=1, location={"lat": 8.41, "lon": 20.65},
               capabilities=["resuscitation"], beds=5, usable_beds=5, helipad=True, night_landing=True)
HELO = dict(kind="helicopter", role="medevac", model="Mi-17", cruise_kmh=220, range_km=900, litters=6,
            seats=10, night_capable=True, hoist=False, armed=False, notice_to_move_min={"day": 15, "night": 30})

US_WORDING = f"""9-LINE MEDEVAC REQUEST
LINE 1: {PICKUP_GRID[:3]} {PICKUP_GRID[3:5]} {PICKUP_GRID[5:10]} {PICKUP_GRID[10:]}
LINE 2: 38.90 DUSTOFF 6
LINE 3: A1 B1
BREAK
LINE 4: A
LINE 5: L2
LINE 6: N
LINE 7: C GREEN SMOKE
LINE 8: C 2
LINE 9: NONE
OVER
"""
NATO_WORDING = f"""1. {PICKUP_GRID} (LZ EAGLE)
2. FREQ 45.500 C/S WARHORSE 21
3. 1 x URGENT BREAK 1 PRIORITY
4. NONE
5. 1L 1A
6. 1 GSW LEG, 1 FRACTURE
7. PANELS ORANGE
8. C 2 BANGLADESHI
9. FLAT OPEN FIELD
"""
LABELLED_LATLON = """LOCATION: 6.6 N 22.05 E
FREQ/CALLSIGN: 123.45 MHz TUNAIR 1
PRECEDENCE: URGENT 1
SPECIAL EQUIPMENT: NONE
PATIENTS BY TYPE: LITTER 1
"""


@pytest.fixture
def planner_settings() -> PlannerSettings:
    """The service planner for these tests: off unless a module turns it on (override this fixture)."""
    return PlannerSettings(enabled=False)


@pytest.fixture
def make_app(settings_for, planner_settings):
    from medevac.app import create_app

    def make(**overrides):
        app = create_app(settings_for(**overrides))
        app[planner_settings_key] = planner_settings
        return app

    return make


class Theatre:
    def __init__(self, mission_id, level_ii, level_i, helos):
        self.mission_id = mission_id
        self.level_ii = level_ii
        self.level_i = level_i
        self.helos = helos


@pytest.fixture
async def theatre(db, mission):
    """One Level II and one Level I, two night-capable helicopters based at Bria."""
    level_ii = await facilities.create(db, mission.id, FacilityCreate(**LEVEL_II))
    level_i = await facilities.create(db, mission.id, FacilityCreate(**LEVEL_I))
    helos = [
        await assets.create(db, mission.id, AssetCreate(callsign=f"UNO-{n}", base={"lat": 6.52, "lon": 21.98}, **HELO))
        for n in (1, 2)
    ]
    return Theatre(mission.id, level_ii, level_i, helos)


@pytest.fixture
def radio(client):
    """`await radio(headers, text)` → the created request (201 asserted)."""

    async def send(headers: dict, text: str, **extra_headers) -> dict:
        response = await client.post("/v1/evac-requests", data=text.encode(),
                                     headers=headers | {"Content-Type": "text/plain"} | extra_headers)
        assert response.status == 201, await response.text()
        return await response.json()

    return send


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def wordings() -> dict[str, str]:
    """Radio texts as operators type them (US, NATO peacetime, labelled lat/lon)."""
    return {"us": US_WORDING, "nato": NATO_WORDING, "labelled": LABELLED_LATLON}
