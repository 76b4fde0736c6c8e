"""The role × endpoint matrix: allowed, 401 without a token, 403 for the wrong role or mission."""

import time
import uuid

import pytest

from medevac import auth
from medevac.auth import ROLES
from medevac.missions import store as missions
from medevac.missions.model import MissionCreate
from tests import factories

FACILITY, ASSET = factories.facility(), factories.asset()

# (method, path template, body, roles allowed)
MATRIX = [
    ("GET", "/v1/missions/{mission}", None, set(ROLES)),
    ("PATCH", "/v1/missions/{mission}", {"approval": "auto"}, {"admin"}),
    ("GET", "/v1/facilities", None, set(ROLES)),
    ("POST", "/v1/facilities", FACILITY, {"admin", "dispatcher"}),
    ("GET", "/v1/facilities/{facility}", None, set(ROLES)),
    ("PATCH", "/v1/facilities/{facility}", {"usable_beds": 3}, {"admin", "dispatcher"}),  # clinicians: their own
    ("GET", "/v1/assets", None, set(ROLES)),
    ("POST", "/v1/assets", ASSET, {"admin", "dispatcher"}),
    ("GET", "/v1/assets/{asset}", None, set(ROLES)),
    ("PATCH", "/v1/assets/{asset}", {"status": "maintenance"}, {"admin", "dispatcher"}),
]


@pytest.fixture
async def world(client, token, mission):
    admin = await token("admin")
    facility = await (await client.post("/v1/facilities", json=FACILITY, headers=admin)).json()
    asset = await (await client.post("/v1/assets", json=ASSET, headers=admin)).json()
    return {"mission": mission.id, "facility": facility["id"], "asset": asset["id"]}


async def call(client, method, template, body, world, headers):
    path = template.format(**world)
    extra = {}
    if method == "PATCH" and "assets" in template:  # send the version we just read
        read = await client.get(path, headers=headers)
        extra = {"If-Match": read.headers.get("ETag", '"1"')}
    if body is not None and "callsign" in body:
        body = body | {"callsign": f"AMB-{uuid.uuid4().hex[:6]}"}
    if body is not None and body.get("level") == 1:
        body = body | {"name": f"L1-{uuid.uuid4().hex[:6]}"}
    return await client.request(method, path, json=body, headers=headers | extra)


@pytest.mark.parametrize(("method", "template", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
async def test_role_matrix(client, token, world, method, template, body, allowed):
    for role in ROLES:
        response = await call(client, method, template, body, world, await token(role))
        expected = "allowed" if role in allowed else 403
        if expected == "allowed":
            assert response.status < 400, f"{role}: {response.status} {await response.text()}"
        else:
            assert response.status == 403, f"{role}: {response.status}"
            assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(("method", "template", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
async def test_without_a_valid_token_is_401(client, world, method, template, body, allowed):
    for headers in ({}, {"Authorization": "Bearer mdv_forged"}, {"Authorization": "Basic abc"}):
        response = await call(client, method, template, body, world, headers)
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "template", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
async def test_another_missions_token_is_denied(client, token, db, world, method, template, body, allowed):
    other = await missions.create(db, MissionCreate(name="Elsewhere"))
    for role in sorted(allowed):
        response = await call(client, method, template, body, world, await token(role, mission_id=other.id))
        if template.endswith("s"):  # lists: scoped to the token's own mission, never the other's rows
            if method == "GET":
                assert (await response.json())["items"] == []
            else:  # a create lands in the token's own mission
                assert (await response.json())["mission_id"] == str(other.id)
        else:
            assert response.status == 403, f"{role}: {response.status}"


async def test_a_mission_token_cannot_name_another_mission(client, token, db, world):
    other = await missions.create(db, MissionCreate(name="Elsewhere"))
    headers = await token("dispatcher")
    assert (await client.get(f"/v1/facilities?mission={other.id}", headers=headers)).status == 403
    body = FACILITY | {"mission_id": str(other.id)}
    assert (await client.post("/v1/facilities", json=body, headers=headers)).status == 403


async def test_revoked_and_expired_tokens_are_refused(client, token, db):
    headers = await token("dispatcher", user="revoked-user")
    assert (await client.get("/v1/assets", headers=headers)).status == 200
    await auth.revoke(db, "revoked-user")  # refused at once by this process
    assert (await client.get("/v1/assets", headers=headers)).status == 401
    headers = await token("dispatcher", user="expired-user")
    await db.execute("UPDATE tokens SET expires_at = now() - interval '1 s' WHERE user_id = 'expired-user'")
    assert (await client.get("/v1/assets", headers=headers)).status == 401


async def test_tokens_are_stored_hashed(token, db):
    headers = await token("field")
    secret = factories.secret(headers)
    stored = await db.fetch("SELECT secret_hash FROM tokens")
    assert all(secret.encode() not in bytes(r["secret_hash"]) for r in stored)


async def test_a_revocation_elsewhere_is_seen_within_the_token_cache_ttl(client, token, db, monkeypatch):
    headers = await token("dispatcher", user="revoked-elsewhere")
    assert (await client.get("/v1/assets", headers=headers)).status == 200
    # Another replica (or `medevac token revoke`) revoked it: this process still has it cached...
    await db.execute("UPDATE tokens SET revoked_at = now() WHERE user_id = 'revoked-elsewhere'")
    assert (await client.get("/v1/assets", headers=headers)).status == 200
    # ...until the TTL is up.
    monkeypatch.setattr(auth.TOKENS, "clock", lambda: time.monotonic() + auth.TOKEN_CACHE_TTL_S)
    assert (await client.get("/v1/assets", headers=headers)).status == 401
