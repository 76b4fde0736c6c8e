"""A small theatre around Bria for the interoperability tests: one Level II, two helicopters."""

import pytest

from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.facilities import store as facilities
from medevac.facilities.model import FacilityCreate
# The dispatch tests' app (planner off unless a module turns it on) and their theatre's figures.
from tests.dispatch.conftest import HELO, LEVEL_II, US_WORDING, make_app, planner_settings  # noqa: F401

MIST = [{"patient": "Sgt Amadou Diallo", "mechanism": "IED blast", "injuries": "left leg amputation",
         "signs": "pale, conscious", "vitals": {"hr": 130, "bp": "85/50", "spo2": "91%", "avpu": "V"},
         "treatment": [{"given": "tourniquet left thigh", "at": "2026-03-01T05:50:00+00:00"}], "age": 27,
         "time_of_injury": "2026-03-01T05:45:00+00:00"},
        {"mechanism": "fall", "injuries": "closed fracture right forearm", "age": 33}]


@pytest.fixture
async def theatre(db, mission):
    level_ii = await facilities.create(db, mission.id, FacilityCreate(**LEVEL_II))
    helos = [await assets.create(db, mission.id, AssetCreate(callsign=f"UNO-{n}", base={"lat": 6.52, "lon": 21.98},
                                                             **HELO)) for n in (1, 2)]
    return {"mission": mission, "level_ii": level_ii, "helos": helos}


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
