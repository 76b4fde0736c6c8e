"""Two radio calls 500 m apart with one aircraft in the theatre: the recommendation read through
the API proposes carrying both calls' casualties to one landing zone, with the time it saves."""

import pytest

from medevac.dispatch.planning.loop import PlannerSettings
from medevac.grid import mgrs_to_latlon
from tests import factories
from tests.dispatch.conftest import PICKUP_GRID, US_WORDING
from tests.dispatch.test_evac_escort import paired  # every request has an aircraft in the plan

TIME_LIMIT_S = 1.0
EAST = US_WORDING.replace(PICKUP_GRID[5:10], "16575")  # the same road, 500 m east


@pytest.fixture
def planner_settings() -> PlannerSettings:
    return PlannerSettings(policy="optimized", time_limit_s=TIME_LIMIT_S, debounce_s=0.05, gauges_s=0.2)


@pytest.fixture
async def theatre(db, mission) -> factories.Theatre:
    return await factories.theatre(db, mission.id, helicopters=1)


async def test_nearby_calls_get_a_consolidation_point(client, token, theatre, radio, sse):
    field, dispatcher = await token("field"), await token("dispatcher", user="mmo")
    stream = await sse(client, dispatcher)
    first, second = await radio(field, US_WORDING), await radio(field, EAST)
    ids = {first["id"], second["id"]}
    await stream.until(paired(ids), timeout=TIME_LIMIT_S + 5)
    read = await (await client.get(f"/v1/evac-requests/{second['id']}", headers=dispatcher)).json()
    proposal = read["recommendation"]["consolidation"]
    assert set(proposal["request_ids"]) == ids and len(proposal["patient_ids"]) == 4  # A1 B1 on each call
    assert proposal["asset_id"] == str(theatre.helos[0].id) and proposal["saved_min"] >= 5
    lat, lon = mgrs_to_latlon(proposal["grid"])
    assert abs(lat - proposal["location"]["lat"]) < 0.001 and abs(lon - proposal["location"]["lon"]) < 0.001
    assert proposal["ground_move_min"] > 0 and proposal["grid"] in proposal["text"]
