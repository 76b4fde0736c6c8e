"""Every route × every role × own mission / another mission, from a table that must cover the
app's own route table: a route added without a row here fails `test_every_route_has_a_row`.

Own mission: a role in the row's set gets past authorisation (no 401/403/404); any other role
gets 403. Another mission's token: a path naming this mission's resource is 403 or 404, and a
list or create never shows or touches this mission. No token at all: 401 on every API route.
"""

import time
import uuid
from datetime import timedelta

import aiohttp
import pytest

from medevac import auth
from medevac.auth import ROLES
from medevac.missions import store as missions
from medevac.missions.model import MissionCreate
from medevac.basing import store as basing_jobs

from tests import factories

from .world import FACILITY, HELO, NOW, PNG, RADIO, seed_world

ALL = frozenset(ROLES)
PUBLIC = {"/", "/console", "/console/", "/healthz", "/readyz", "/metrics", "/openapi.json"}
STATIC = ("/console/css", "/console/geo", "/console/js", "/console/vendor")


def unique(**body):
    return lambda: body | {k: f"{v}-{uuid.uuid4().hex[:6]}" for k, v in body.items() if k in ("name", "callsign",
                                                                                               "user_id")}


WINDOW = {"kind": "available", "starts_at": NOW.isoformat(), "ends_at": (NOW + timedelta(hours=2)).isoformat()}
POLICY = {"answer_targets": {"emergency": 300, "urgent": 1800, "routine": 86400},
          "offer_timeouts": {"emergency": 60, "urgent": 300, "routine": 3600}}
CONSULT = {"specialty": "orthopaedics", "urgency": "routine", "question": "?", "summary": {"mechanism": "fall"}}
SPECIALIST = {"user_id": "dr", "name": "Dr X", "specialty": "burns"}

# (method, path, roles that get through in their own mission, body (None, dict, callable or (ctype, bytes)))
# Order matters only at the end: cancel and close end the consult.
TABLE = [
    ("GET", "/v1/session", ALL, None),
    ("POST", "/v1/missions", set(), unique(name="Mission")),  # a global admin's act (test_mission_links.py)
    ("GET", "/v1/missions", ALL, None),
    ("GET", "/v1/missions/{mission_id}", ALL, None),
    ("PATCH", "/v1/missions/{mission_id}", {"admin"}, {"approval": "manual"}),
    ("POST", "/v1/facilities", {"admin", "dispatcher"}, unique(**FACILITY)),
    ("GET", "/v1/facilities", ALL, None),
    ("GET", "/v1/facilities/{facility_id}", ALL, None),
    # a clinician reports only for their own facility (tests/console/test_facility_staff.py)
    ("PATCH", "/v1/facilities/{facility_id}", {"admin", "dispatcher"}, {"usable_beds": 9}),
    ("GET", "/v1/facilities/{facility_id}/inbound", ALL, None),
    ("POST", "/v1/assets", {"admin", "dispatcher"}, unique(**HELO)),
    ("GET", "/v1/assets", ALL, None),
    ("GET", "/v1/assets/{asset_id}", ALL, None),
    ("PATCH", "/v1/assets/{asset_id}", {"admin", "dispatcher"}, {"status": "available"}),
    ("GET", "/v1/coverage", ALL, None),
    ("GET", "/v1/events", ALL, None),
    ("POST", "/v1/evac-requests", {"admin", "dispatcher", "field"}, ("text/plain", RADIO.encode())),
    ("GET", "/v1/evac-requests", ALL, None),
    ("GET", "/v1/evac-requests/{request_id}", ALL, None),
    ("PATCH", "/v1/evac-requests/{request_id}", {"admin", "dispatcher", "field"}, {"security": "N"}),
    ("POST", "/v1/evac-requests/{request_id}/approve", {"admin", "dispatcher"}, {}),
    ("GET", "/v1/evacuations", ALL, None),
    ("GET", "/v1/evacuations/{evacuation_id}", ALL, None),
    ("POST", "/v1/evacuations/{evacuation_id}/transitions", {"admin", "dispatcher", "field"}, {"to": "complete"}),
    ("POST", "/v1/evacuations/{evacuation_id}/reassign", {"admin", "dispatcher"},
     lambda: {"asset_id": str(uuid.uuid4()), "facility_id": str(uuid.uuid4())}),
    ("POST", "/v1/evac-requests/{request_id}/cancel", {"admin", "dispatcher", "field"}, {"reason": "duplicate"}),
    ("GET", "/v1/evacuations/{evacuation_id}/fhir", {"admin", "dispatcher", "clinician", "field", "observer"}, None),
    ("PATCH", "/v1/facilities/{facility_id}/fhir-endpoint", {"admin", "dispatcher"}, {"url": "https://l2.invalid/fhir"}),
    ("PATCH", "/v1/missions/{mission_id}/interop", {"admin"}, {"fhir_patient_names": False}),
    ("GET", "/v1/fhir-pushes", {"admin", "dispatcher", "clinician", "observer"}, None),
    ("GET", "/v1/basemap", ALL, None),
    ("GET", "/v1/basemap/tiles/{z}/{x}/{y}", ALL, None),
    ("GET", "/v1/map/mgrs-grid", ALL, None),
    ("GET", "/v1/map/extent", ALL, None),
    ("GET", "/v1/consult-alerts", {"admin", "dispatcher", "clinician"}, None),
    ("GET", "/v1/reports/response-times", {"admin", "dispatcher", "observer"}, None),
    ("POST", "/v1/specialists", {"admin", "dispatcher"}, unique(**SPECIALIST)),
    ("GET", "/v1/specialists", ALL, None),
    ("GET", "/v1/specialists/{specialist_id}", ALL, None),
    ("PATCH", "/v1/specialists/{specialist_id}", {"admin", "dispatcher"}, {"load_limit": 3}),
    ("POST", "/v1/specialists/{specialist_id}/windows", {"admin", "dispatcher", "specialist"}, WINDOW),
    ("DELETE", "/v1/specialists/{specialist_id}/windows/{window_id}", {"admin", "dispatcher", "specialist"}, None),
    ("GET", "/v1/telemed/policy", ALL, None),
    ("PUT", "/v1/telemed/policy", {"admin"}, POLICY),
    ("GET", "/v1/telemed/inbox/ws", {"specialist"}, None),
    ("POST", "/v1/consults", {"clinician"}, CONSULT),
    ("GET", "/v1/consults", {"admin", "clinician", "specialist"}, None),
    ("GET", "/v1/consults/{consult_id}", {"admin", "clinician", "specialist"}, None),
    ("POST", "/v1/consults/{consult_id}/accept", {"specialist"}, None),
    ("POST", "/v1/consults/{consult_id}/decline", {"specialist"}, {}),
    ("GET", "/v1/consults/{consult_id}/messages", {"clinician", "specialist"}, None),
    ("POST", "/v1/consults/{consult_id}/messages", {"clinician", "specialist"}, lambda: {"client_id": uuid.uuid4().hex,
                                                                                         "text": "obs"}),
    ("POST", "/v1/consults/{consult_id}/attachments", {"clinician", "specialist"}, ("image/png", PNG)),
    ("GET", "/v1/consults/{consult_id}/attachments/{attachment_id}", {"clinician", "specialist"}, None),
    ("GET", "/v1/consults/{consult_id}/ws", {"clinician", "specialist"}, None),
    ("GET", "/v1/consults/{consult_id}/fhir", {"clinician", "specialist"}, None),
    ("POST", "/v1/planning/basing", {"admin", "observer"}, {}),
    ("GET", "/v1/planning/basing/{job_id}", {"admin", "observer"}, None),
    ("GET", "/v1/planning/scenarios", {"admin", "observer"}, None),
    ("POST", "/v1/consults/{consult_id}/close", {"admin", "clinician", "specialist"}, {"outcome": "advice_given"}),
    ("POST", "/v1/consults/{consult_id}/cancel", {"admin", "clinician"}, {}),
]
STREAMS = {"/v1/events", "/v1/telemed/inbox/ws", "/v1/consults/{consult_id}/ws"}


def app_routes(app) -> set[tuple[str, str]]:
    return {(r.method, r.resource.canonical) for r in app.router.routes() if r.method != "HEAD"}


def test_every_route_has_a_row(make_app):
    app = make_app()
    api = app_routes(app) - {("GET", p) for p in PUBLIC | set(STATIC)}
    assert api == {(m, p) for m, p, *_ in TABLE}, "a route without a row (or a row without a route)"


async def call(client, world, method: str, template: str, body, headers: dict, mission: str | None = None):
    """Make the call; a stream is opened and closed at once. Returns the status (and text)."""
    if template.endswith("/windows/{window_id}"):  # each delete removes a window made for it
        made = await client.post(world.path("/v1/specialists/{specialist_id}/windows"), json=WINDOW,
                                 headers=world.headers["admin"])
        world.ids["window_id"] = (await made.json())["id"]
    path = world.path(template)
    params = {"mission": mission} if mission else {}
    if template.endswith("/ws"):
        try:
            ws = await client.ws_connect(path, headers=headers)
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status, ""
        await ws.close()
        return 101, ""
    if template == "/v1/events":
        async with client.get(path, headers=headers, params=params) as response:
            return response.status, ""
    extra = {}
    if method == "PATCH" and "{asset_id}" in template:
        current = await client.get(path, headers=world.headers["admin"])
        extra = {"If-Match": current.headers["ETag"]}
    body = body() if callable(body) else body
    if isinstance(body, tuple):
        kw = {"data": body[1], "headers": headers | extra | {"Content-Type": body[0]}}
    else:
        kw = {"json": body, "headers": headers | extra} if body is not None else {"headers": headers | extra}
    async with client.request(method, path, params=params, **kw) as response:
        return response.status, (await response.read()).decode(errors="replace")


@pytest.fixture
async def client(aiohttp_client, make_app, tmp_path):
    """Walking the table creates far more per user than a real minute allows (limits: test_rate_limits.py);
    the mission has a basemap, so its routes answer."""
    return await aiohttp_client(make_app(rate_creates_per_minute=100_000, rate_calls_per_minute=100_000,
                                         basemap_mbtiles=factories.mbtiles(tmp_path / "basemap.mbtiles")))


@pytest.fixture
async def other_headers(db) -> dict[str, dict]:
    from medevac import auth

    other = await missions.create(db, MissionCreate(name=f"Elsewhere {uuid.uuid4().hex[:6]}"))
    return {role: {"Authorization": "Bearer " + await auth.create_token(
        db, user=f"other-{role}-{uuid.uuid4().hex[:4]}", role=role, mission_id=other.id)} for role in ROLES}


async def test_every_route_for_every_role_in_its_own_and_another_mission(client, world, db, other_headers):
    job = await basing_jobs.create(db, world.mission_id, {}, "admin")
    world.ids |= {"job_id": str(job["id"]), "z": "0", "x": "0", "y": "0"}
    mission = str(world.mission_id)
    wrong: list[str] = []
    for method, template, allowed, body in TABLE:
        names_a_resource = "_id}" in template  # a basemap tile ({z}/{x}/{y}) belongs to no mission
        for role in ROLES:
            status, _ = await call(client, world, method, template, body, world.headers[role])
            ok = status not in (401, 403, 404) and status < 500 if role in allowed else status == 403
            if not ok:
                wrong.append(f"{method} {template} as {role} (own mission): {status}")
            status, text = await call(client, world, method, template, body, other_headers[role],
                                      mission=None if names_a_resource else mission)
            if names_a_resource:
                ok = status in (403, 404)
            else:  # naming this mission in ?mission= is refused; otherwise nothing of this mission shows
                ok = status in (403, 404) or (status < 500 and status != 401 and mission not in text)
            if not ok:
                wrong.append(f"{method} {template} as {role} (other mission): {status} {text[:120]}")
    assert not wrong, "\n".join(wrong)


async def test_without_a_valid_token_every_api_route_is_401(aiohttp_client, make_app, token, mission, db,
                                                          monkeypatch):
    # Enough failed sign-ins allowed to walk the table (the limit itself: tests/foundation/test_rate_limits.py).
    client = await aiohttp_client(make_app(rate_failed_auth_per_minute=1_000_000))
    world = await seed_world(client, token, mission.id)
    await db.execute("UPDATE tokens SET revoked_at = now() WHERE user_id LIKE 'field-%'")
    await db.execute("UPDATE tokens SET expires_at = now() - interval '1 s' WHERE user_id LIKE 'observer-%'")
    # Changed behind the service's back: seen once the token cache's TTL is up.
    monkeypatch.setattr(auth.TOKENS, "clock", lambda: time.monotonic() + auth.TOKEN_CACHE_TTL_S)
    world.ids |= {"job_id": str(uuid.uuid4()), "z": "0", "x": "0", "y": "0"}
    refused = {"none": {}, "forged": {"Authorization": "Bearer mdv_forged"}, "basic": {"Authorization": "Basic abc"},
               "revoked": world.headers["field"], "expired": world.headers["observer"]}
    wrong = []
    for method, template, _, body in TABLE:
        if template.endswith("/windows/{window_id}"):
            continue  # its setup call needs a valid token; the route is covered by the matrix above
        for kind, headers in refused.items():
            status, _ = await call(client, world, method, template, body, headers)
            if status != 401:
                wrong.append(f"{method} {template} with a {kind} token: {status}")
    assert not wrong, "\n".join(wrong)
