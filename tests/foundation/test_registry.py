"""The registry round-trips through HTTP: missions, facilities, assets."""

import uuid
from tests import factories

FACILITY = factories.facility(
    name="Bria Level II", level=2, location={"lat": 6.54, "lon": 21.99},
    capabilities=["resuscitation", "damage_control_surgery", "icu"], beds=15, usable_beds=12, icu_beds=3,
    operating_tables=1, helipad=True, night_landing=False, refuel=True)
ASSET = factories.helicopter(callsign="UNO-325P", model="Mi-17", range_km=950, night_capable=False, hoist=False,
                             armed=False)


async def test_admin_creates_and_reads_a_mission_with_default_time_standards(client, token):
    admin = await token("admin", mission_id=None)
    mission_id = str(uuid.uuid4())
    created = await client.post("/v1/missions", json={"id": mission_id, "name": "MINUSMA", "time_zone": "Africa/Bamako"},
                                headers=admin)
    assert created.status == 201, await created.text()
    body = await created.json()
    assert body["id"] == mission_id
    assert body["time_standards"]["A"] == 60 and body["time_standards"]["B"] == 120
    assert body["approval"] == "manual"
    read = await client.get(f"/v1/missions/{mission_id}", headers=admin)
    assert (await read.json())["name"] == "MINUSMA"
    assert read.headers["ETag"] == '"1"'

    patched = await client.patch(f"/v1/missions/{mission_id}", json={"approval": "auto"}, headers=admin)
    assert (await patched.json())["approval"] == "auto"
    assert patched.headers["ETag"] == '"2"'


async def test_facility_round_trip_and_figures_are_stamped_when_reported(client, token, mission):
    dispatcher = await token("dispatcher")
    facility_id = str(uuid.uuid4())
    created = await client.post("/v1/facilities", json=FACILITY | {"id": facility_id}, headers=dispatcher)
    assert created.status == 201, await created.text()
    body = await created.json()
    assert body["mission_id"] == str(mission.id) and body["location"] == {"lat": 6.54, "lon": 21.99}
    stamped = body["figures_updated_at"]
    assert set(stamped) >= {"status", "beds", "usable_beds", "icu_beds", "operating_tables"}

    clinician = await token("clinician", facility_id=facility_id)  # staff of the facility report its figures
    patched = await client.patch(f"/v1/facilities/{facility_id}", json={"usable_beds": 4, "status": "diverting"},
                                 headers=clinician)
    assert patched.status == 200, await patched.text()
    after = await patched.json()
    assert after["usable_beds"] == 4 and after["status"] == "diverting" and after["version"] == 2
    assert after["figures_updated_at"]["usable_beds"] > stamped["usable_beds"]
    assert after["figures_updated_at"]["icu_beds"] == stamped["icu_beds"]  # not reported, not restamped

    listed = await (await client.get("/v1/facilities?status=diverting", headers=dispatcher)).json()
    assert [f["id"] for f in listed["items"]] == [facility_id]
    none_open = await (await client.get("/v1/facilities?status=open", headers=dispatcher)).json()
    assert none_open["items"] == []


async def test_asset_patch_needs_the_current_version(client, token):
    dispatcher = await token("dispatcher")
    created = await client.post("/v1/assets", json=ASSET, headers=dispatcher)
    assert created.status == 201, await created.text()
    asset = await created.json()
    assert asset["position"]["lat"] == 4.40 and asset["status"] == "available"
    url = f"/v1/assets/{asset['id']}"

    missing = await client.patch(url, json={"status": "maintenance"}, headers=dispatcher)
    assert missing.status == 428
    moved = await client.patch(url, json={"position": {"lat": 5.0, "lon": 19.0}},
                               headers=dispatcher | {"If-Match": created.headers["ETag"]})
    assert moved.status == 200, await moved.text()
    assert (await moved.json())["position"]["lat"] == 5.0

    stale = await client.patch(url, json={"status": "maintenance"}, headers=dispatcher | {"If-Match": '"1"'})
    assert stale.status == 409
    problem = await stale.json()
    assert problem["current"]["version"] == 2 and problem["current"]["status"] == "available"
    assert stale.content_type == "application/problem+json"


async def test_lists_page_with_a_cursor(client, token):
    dispatcher = await token("dispatcher")
    for n in range(5):
        created = await client.post("/v1/assets", json=ASSET | {"callsign": f"AMB-{n}", "kind": "ground"},
                                    headers=dispatcher)
        assert created.status == 201
    seen, cursor = [], None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = await (await client.get("/v1/assets", params=params, headers=dispatcher)).json()
        seen += [a["callsign"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"AMB-{n}" for n in range(5)]


async def walk(client, path: str, headers: dict, **filters: str) -> list[str]:
    """Every item's name (or call sign) a filtered list shows, page by page (two a page)."""
    seen, cursor = [], None
    while True:
        params = filters | {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        response = await client.get(path, params=params, headers=headers)
        assert response.status == 200, await response.text()
        page = await response.json()
        seen += [item.get("callsign") or item["name"] for item in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            return seen


async def test_filters_narrow_every_page_alone_and_together(client, token):
    dispatcher = await token("dispatcher")
    for n in range(3):
        for kind in ("ground", "helicopter"):
            created = await client.post("/v1/assets", json=ASSET | {"callsign": f"{kind}-{n}", "kind": kind},
                                        headers=dispatcher)
            assert created.status == 201, await created.text()
    for name, level, status in (("A", 1, "open"), ("B", 2, "open"), ("C", 2, "diverting"), ("D", 2, "open"),
                                ("E", 1, "diverting")):
        created = await client.post("/v1/facilities", json=FACILITY | {"name": name, "level": level, "status": status},
                                    headers=dispatcher)
        assert created.status == 201, await created.text()

    assert sorted(await walk(client, "/v1/assets", dispatcher, kind="ground")) == ["ground-0", "ground-1", "ground-2"]
    assert await walk(client, "/v1/assets", dispatcher, kind="ground", status="maintenance") == []
    assert sorted(await walk(client, "/v1/facilities", dispatcher, level="2")) == ["B", "C", "D"]
    assert sorted(await walk(client, "/v1/facilities", dispatcher, level="2", status="open")) == ["B", "D"]
    assert sorted(await walk(client, "/v1/facilities", dispatcher)) == ["A", "B", "C", "D", "E"]


async def test_a_retried_create_with_the_same_idempotency_key_creates_nothing_new(client, token, db):
    dispatcher = await token("dispatcher")
    headers = dispatcher | {"Idempotency-Key": "radio-retry-1"}
    first = await client.post("/v1/facilities", json=FACILITY, headers=headers)
    second = await client.post("/v1/facilities", json=FACILITY, headers=headers)
    assert first.status == second.status == 201
    assert (await first.json())["id"] == (await second.json())["id"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert await db.fetchval("SELECT count(*) FROM facilities") == 1

    other = await client.post("/v1/facilities", json=FACILITY | {"name": "Other"}, headers=headers)
    assert other.status == 422
    assert (await other.json())["errors"][0]["field"] == "Idempotency-Key"
