"""Fixtures for the evacuation service tests: a small theatre around Bria (CAR) and radio calls."""

import uuid

import pytest

from medevac.dispatch.planning.loop import PlannerSettings
from tests import factories

# Pickup 34N FN 16075 29652 is about 10 km from the Level II; both aircraft fly at night so
# the tests hold whatever the sun does over Bria when they run.
PICKUP_GRID = "34NFN1607529652"

# The nine lines of a valid call, as a US radio operator reads them.
NINE_LINES = f"""LINE 1: {PICKUP_GRID[:3]} {PICKUP_GRID[3:5]} {PICKUP_GRID[5:10]} {PICKUP_GRID[10:]}
LINE 2: 38.90 DUSTOFF 6
LINE 3: A1 B1
BREAK
LINE 4: A
LINE 5: L2
LINE 6: N
LINE 7: C GREEN SMOKE
LINE 8: C 2
LINE 9: NONE
"""
US_WORDING = f"9-LINE MEDEVAC REQUEST\n{NINE_LINES}OVER\n"

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
async def theatre(db, mission) -> factories.Theatre:
    """One Level II and one Level I, two night-capable helicopters based at Bria."""
    return await factories.theatre(db, mission.id)


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
