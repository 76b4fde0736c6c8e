"""Every state change leaves an audit row; operations endpoints answer."""

import asyncio
import contextlib
import os
import sys

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from tests import factories

FACILITY = factories.facility(name="Gao Level II", level=2, location={"lat": 16.27, "lon": -0.04}, beds=20,
                               usable_beds=18)


async def test_every_change_writes_who_what_before_and_after(client, token, db):
    headers = await token("dispatcher", user="officer-7")
    created = await (await client.post("/v1/facilities", json=FACILITY, headers=headers)).json()
    await client.patch(f"/v1/facilities/{created['id']}", json={"status": "closed"}, headers=headers)
    rows = await db.fetch("SELECT * FROM audit_log WHERE entity_id = $1 ORDER BY id", created["id"])
    assert [r["action"] for r in rows] == ["facility.created", "facility.updated"]
    assert {r["actor"] for r in rows} == {"officer-7"} and {r["role"] for r in rows} == {"dispatcher"}
    assert rows[0]["before"] is None and rows[0]["after"]["status"] == "open"
    assert rows[1]["before"]["status"] == "open" and rows[1]["after"]["status"] == "closed"
    assert rows[1]["request_id"]


async def test_a_failed_change_leaves_no_audit_row_and_no_event(client, token, db):
    headers = await token("dispatcher")
    before = await db.fetchval("SELECT count(*) FROM audit_log")
    response = await client.post("/v1/facilities", json=FACILITY | {"beds": -4}, headers=headers)
    assert response.status == 422
    assert await db.fetchval("SELECT count(*) FROM audit_log") == before
    assert await db.fetchval("SELECT count(*) FROM events") == 0


async def test_health_readiness_and_metrics_by_route_template(client, token):
    assert (await client.get("/healthz")).status == 200
    assert (await (await client.get("/readyz")).json())["status"] == "ready"
    headers = await token("observer")
    await client.get("/v1/facilities/00000000-0000-0000-0000-000000000000", headers=headers)
    text = await (await client.get("/metrics")).text()
    samples = [s for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == "medevac_http_requests_total"]
    routes = {s.labels["route"] for s in samples}
    assert "/v1/facilities/{facility_id}" in routes
    assert not any("00000000" in r for r in routes)  # never a concrete id in a label


async def test_openapi_describes_every_route_with_its_models(client):
    document = await (await client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert {"/v1/missions", "/v1/facilities/{facility_id}", "/v1/assets/{asset_id}", "/v1/events"} <= set(paths)
    create = paths["/v1/facilities"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert schema["properties"]["level"]["maximum"] == 4
    assert "422" in create["responses"] and "Idempotency-Key" in {p["name"] for p in create["parameters"]}


async def test_token_create_on_the_command_line_prints_a_working_token(client, database_url, mission):
    env = os.environ | {"MEDEVAC_DATABASE_URL": database_url, "MEDEVAC_LOG_FORMAT": "console"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "medevac", "token", "create", "--user", "cmo", "--role", "dispatcher",
        "--mission", str(mission.id), env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    secret = out.decode().strip().splitlines()[-1]
    response = await client.get("/v1/assets", headers=factories.bearer(secret))
    assert response.status == 200


async def test_token_create_grants_the_planning_right_only_when_asked(database_url, db):
    env = os.environ | {"MEDEVAC_DATABASE_URL": database_url, "MEDEVAC_LOG_FORMAT": "console"}
    for user, extra in (("hq-planner", ["--right", "planning"]), ("hq-watch", [])):
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "medevac", "token", "create", "--user", user, "--role", "observer", *extra,
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
    rights = dict(await db.fetch("SELECT user_id, rights FROM tokens WHERE user_id LIKE 'hq-%'"))
    assert rights == {"hq-planner": ["planning"], "hq-watch": []}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "medevac", "token", "revoke", "--user", "hq-watch",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert await db.fetchval("SELECT revoked_at IS NOT NULL FROM tokens WHERE user_id = 'hq-watch'")
    # Both commands are state changes: each is in the audit log.
    audited = [tuple(r) for r in await db.fetch(
        "SELECT action, entity_id FROM audit_log WHERE entity = 'user' AND entity_id LIKE 'hq-%' ORDER BY id")]
    assert audited == [("token.created", "hq-planner"), ("token.created", "hq-watch"), ("token.revoked", "hq-watch")]


async def test_a_client_gone_mid_answer_is_not_a_database_outage(aiohttp_client, make_app, db):
    """A write to a client that has left (a console closed; streams ended at shutdown) raises the
    ConnectionResetError a lost database also raises: it is counted as 499, never answered 503."""
    from aiohttp import web

    async def leaves_then_written_to(request: web.Request) -> web.StreamResponse:
        request.transport.close()
        raise ConnectionResetError("Cannot write to closing transport")

    async def database_lost(request: web.Request) -> web.StreamResponse:
        raise ConnectionResetError("connection to the database reset")

    app = make_app()
    app.router.add_get("/test/gone", leaves_then_written_to)
    app.router.add_get("/test/db-lost", database_lost)
    client = await aiohttp_client(app)
    with contextlib.suppress(aiohttp.ClientError):  # the server closed our socket under the request
        await client.get("/test/gone")
    assert (await client.get("/test/db-lost")).status == 503  # the database's reset is still a 503
    text = await (await client.get("/metrics")).text()
    statuses = {(s.labels["route"], s.labels["status"]) for f in text_string_to_metric_families(text)
                for s in f.samples if s.name == "medevac_http_requests_total"}
    assert ("/test/gone", "499") in statuses and ("/test/db-lost", "503") in statuses
    assert not any(route == "/test/gone" and status != "499" for route, status in statuses)
