"""A small theatre around Bria for the interoperability tests: one Level II, two helicopters."""

import pytest

from tests import factories
# The dispatch tests' planner (off unless a module turns it on) and their radio call.
from tests.dispatch.conftest import US_WORDING, planner_settings  # noqa: F401

MIST = [{"patient": "Sgt Amadou Diallo", "mechanism": "IED blast", "injuries": "left leg amputation",
         "signs": "pale, conscious", "vitals": {"hr": 130, "bp": "85/50", "spo2": "91%", "avpu": "V"},
         "treatment": [{"given": "tourniquet left thigh", "at": "2026-03-01T05:50:00+00:00"}], "age": 27,
         "time_of_injury": "2026-03-01T05:45:00+00:00"},
        {"mechanism": "fall", "injuries": "closed fracture right forearm", "age": 33}]


@pytest.fixture
async def theatre(db, mission):
    seeded = await factories.theatre(db, mission.id, level_i=False)
    return {"mission": mission, "level_ii": seeded.level_ii, "helos": seeded.helos}


@pytest.fixture
def task_evacuation(token, theatre):
    """`await task_evacuation(client)` → (request, evacuation) as JSON: a radioed 9-line with MIST-AT, tasked."""

    async def make(client, **approve_extra) -> tuple[dict, dict]:
        field, dispatcher = await token("field"), await token("dispatcher")
        created = await client.post("/v1/evac-requests", json={"text": US_WORDING, "mist_at": MIST}, headers=field)
        assert created.status == 201, await created.text()
        request = await created.json()
        approved = await client.post(
            f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher,
            json={"asset_id": str(theatre["helos"][0].id), "facility_id": str(theatre["level_ii"].id), "accept_warnings": True} | approve_extra)
        assert approved.status == 201, await approved.text()
        return request, await approved.json()

    return make
