"""Telemedicine fixtures: specialists on a roster and consults."""

import uuid

import pytest

from tests import factories


@pytest.fixture
def specialist(client, token, mission):
    """`spec, headers = await specialist(name, **fields)`: registered, on call for two days by default."""

    async def make(name: str, **fields) -> tuple[dict, dict]:
        user = f"dr-{name}-{uuid.uuid4().hex[:4]}"
        body = factories.specialist(user, name=f"Dr {name}", load_limit=2) | fields
        mission_id = body.pop("mission", None) or mission.id
        if body.get("serves_missions"):  # serving other missions is linked by a global admin
            admin = await token("admin", mission_id=None)
            body["mission_id"] = str(mission_id)
        else:
            admin = await token("admin", mission_id=mission_id)
        resp = await client.post("/v1/specialists", json=body, headers=admin)
        assert resp.status == 201, await resp.text()
        spec = await resp.json()
        headers = await token("specialist", mission_id=mission_id, user=user)
        return spec, headers

    return make


@pytest.fixture
def consult(client, token):
    """`body = await consult(headers=None, **fields)`: a consult requested by a clinician."""

    async def make(headers: dict | None = None, **fields) -> tuple[dict, dict]:
        headers = headers or await token("clinician")
        body = factories.consult(**fields)
        resp = await client.post("/v1/consults", json=body, headers=headers)
        assert resp.status == 201, await resp.text()
        return await resp.json(), headers

    return make
