"""One mission with one of everything, created through the API, and a token for every role."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from medevac.auth import RIGHTS, ROLES
from tests import factories

NOW = datetime.now(timezone.utc)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
RADIO = """LINE 1: 34N FN 16075 29652
LINE 2: 38.90 DUSTOFF 6
LINE 3: A1
LINE 4: A
LINE 5: L1
"""
FACILITY = dict(factories.LEVEL_II)
HELO = factories.HELO | {"callsign": "UNO-1", "base": {"lat": 6.52, "lon": 21.98}}
# The observer is a planning cell's (planning right): the table shows what observers may do at most.
ROLE_RIGHTS = {"observer": RIGHTS}


@dataclass
class World:
    mission_id: uuid.UUID
    headers: dict[str, dict] = field(default_factory=dict)  # role → bearer headers (this mission)
    ids: dict[str, str] = field(default_factory=dict)  # path parameter → a real id in this mission

    def path(self, template: str) -> str:
        return template.format(**self.ids)


async def created(response, status: int = 201) -> dict:
    assert response.status == status, await response.text()
    return await response.json()


async def seed_world(http, token, mission_id: uuid.UUID) -> World:
    """`http` is anything with aiohttp's request methods on relative paths (test client or session)."""
    world = World(mission_id)
    tag = uuid.uuid4().hex[:6]
    for role in ROLES:
        world.headers[role] = await token(role, mission_id=mission_id, user=f"{role}-{tag}",
                                          rights=ROLE_RIGHTS.get(role, ()))
    h = world.headers
    ids = world.ids
    ids["mission_id"] = str(mission_id)
    ids["facility_id"] = (await created(await http.post("/v1/facilities", json=FACILITY, headers=h["admin"])))["id"]
    asset = await created(await http.post("/v1/assets", json=HELO | {"callsign": f"UNO-{tag}"}, headers=h["admin"]))
    ids["asset_id"] = asset["id"]
    request = await created(await http.post("/v1/evac-requests", data=RADIO.encode(),
                                            headers=h["field"] | {"Content-Type": "text/plain"}))
    ids["request_id"] = request["id"]
    approval = {"asset_id": asset["id"], "facility_id": ids["facility_id"], "accept_warnings": True}
    evacuation = await created(await http.post(f"/v1/evac-requests/{request['id']}/approve", json=approval,
                                               headers=h["dispatcher"]))
    ids["evacuation_id"] = evacuation["id"]
    specialist = await created(await http.post("/v1/specialists", headers=h["admin"],
                                               json=factories.specialist(f"specialist-{tag}")))
    ids["specialist_id"] = specialist["id"]
    ids["window_id"] = specialist["windows"][0]["id"]
    consult = await created(await http.post("/v1/consults", headers=h["clinician"], json=factories.consult(
        urgency="routine", question="Reduce or evacuate?", casualty_ref="BRN-4411",
        evacuation_request_id=request["id"])))
    ids["consult_id"] = consult["id"]
    await created(await http.post(f"/v1/consults/{consult['id']}/accept", headers=h["specialist"]), 200)
    await created(await http.post(f"/v1/consults/{consult['id']}/messages", headers=h["clinician"],
                                  json={"client_id": "c-1", "text": "BP falling"}))
    attachment = await created(await http.post(f"/v1/consults/{consult['id']}/attachments", data=PNG,
                                               headers=h["clinician"] | {"Content-Type": "image/png"}))
    ids["attachment_id"] = attachment["id"]
    return world
