"""Radio text as it is really sent, over HTTP: the spoken form with a call-up and a grid without
its zone, UN line-8 words, the read-back the service returns, and zones it cannot assume."""

import pytest

from medevac import demo
from medevac.dispatch.assets import store as assets
from medevac.dispatch.assets.model import AssetCreate
from medevac.dispatch.nineline import parse_text
from medevac.geo import distance_km
from medevac.grid import latlon_to_mgrs
from tests.dispatch.conftest import PICKUP_GRID
from tests.factories import HELO

SPOKEN = f"""WHITE WOLF X-RAY THIS IS WHITE WOLF 4, I HAVE A 9-LINE MEDEVAC REQUEST, BREAK
LINE 1, FOXTROT NOVEMBER {PICKUP_GRID[5:10]} {PICKUP_GRID[10:]}, BREAK
LINE 2, TREE EIGHT DECIMAL NINER ZERO, WHITE WOLF FOUR, BREAK
LINE 3, 1 ALPHA, 1 BRAVO, BREAK
LINE 4, ALPHA, BREAK
LINE 5, 2 LIMA, BREAK
LINE 6, PAPA, BREAK
LINE 7, CHARLIE, GREEN SMOKE, BREAK
LINE 8, 1 UN MILITARY 1 LOCAL CIVILIAN, BREAK
LINE 9, NONE, OVER
"""


async def test_spoken_call_with_zoneless_grid_is_placed_and_read_back(client, token, theatre, radio):
    field = await token("field")
    created = await radio(field, SPOKEN)
    location = created["nine_line"]["location"]
    assert (created["grid"], location["grid"], location["zone_assumed"]) == (PICKUP_GRID, PICKUP_GRID, True)
    assert created["nine_line"]["calling_station"] == "WHITE WOLF 4"
    assert created["nine_line"]["called_station"] == "WHITE WOLF X-RAY"
    assert (created["frequency"], created["callsign"], created["security"]) == ("38.90", "WHITE WOLF 4", "P")
    assert created["nationality"] == "UN MILITARY x1, LOCAL CIVILIAN x1"
    assert [(g["status"], g["category"]) for g in created["nine_line"]["nationality"]] == [
        ("A", "un_military"), ("D", "local_civilian")]
    assert [(c["precedence"], c["patient_type"]) for c in created["casualties"]] == [("A", "litter"), ("B", "litter")]

    readback = created["readback"]
    assert readback.startswith("WHITE WOLF X-RAY THIS IS WHITE WOLF FOWER, I HAVE A 9-LINE MEDEVAC REQUEST, BREAK\n")
    assert "LINE ONE, GRID, TREE FOWER NOVEMBER FOXTROT NOVEMBER ONE SIX ZERO SEVEN FIFE TWO NINER SIX FIFE TWO ZONE ASSUMED" \
        in readback
    assert readback.index("LINE FIFE") < readback.index("LINE SIX") and readback.endswith(", OVER\n")
    # What the receiving operator reads back is the request itself, zone and all.
    assert parse_text(readback).model_dump(mode="json") == created["nine_line"]

    read = await (await client.get(f"/v1/evac-requests/{created['id']}", headers=field)).json()
    assert read["readback"] == readback
    observer = await token("observer")
    listed = await (await client.get("/v1/evac-requests", headers=observer)).json()
    assert listed["items"][0]["readback"] is None and listed["items"][0]["raw_text"] is None  # free text inside


async def test_one_line_chat_form_over_http(client, token, theatre, radio):
    field = await token("field")
    text = f"L1 {PICKUP_GRID} / L2 38.90 DUSTOFF 7 / L3 1A 1C / L4 A / L5 1L 1A / L6 N / L7 C / L8 2 UN MIL / L9 NONE"
    created = await radio(field, text)
    assert created["grid"] == PICKUP_GRID and created["nine_line"]["location"]["zone_assumed"] is False
    assert [(c["precedence"], c["patient_type"]) for c in created["casualties"]] == [("A", "litter"), ("C", "ambulatory")]
    assert created["nationality"] == "UN MILITARY x2"


@pytest.mark.parametrize("line_8, message", [
    ("BANGLADESHI", "cannot read 'BANGLADESHI' as a status"),
    ("C 2 BANGLADESHI 1 LOCAL CIVILIAN", "cannot tell the status of 'BANGLADESHI 1 LOCAL CIVILIAN'"),
    ("F 1", "unknown nationality/status code 'F'"),
])
async def test_line_8_never_dropped_silently(client, token, theatre, line_8, message):
    field = await token("field")
    text = SPOKEN.replace("1 UN MILITARY 1 LOCAL CIVILIAN", line_8)
    response = await client.post("/v1/evac-requests", data=text, headers=field | {"Content-Type": "text/plain"})
    assert response.status == 422 and response.content_type == "application/problem+json"
    [error] = (await response.json())["errors"]
    assert error["field"] == "line 8.nationality" and error["message"].startswith(message), error


async def test_zoneless_grid_in_structured_json_takes_the_zone(client, token, theatre):
    body = {"location": {"grid": f"FN {PICKUP_GRID[5:10]} {PICKUP_GRID[10:]}"}, "radio": {"call_sign": "DUSTOFF 6"},
            "precedence": {"A": 1}, "special_equipment": ["A"], "patients_by_type": {"litter": 1},
            "nationality": [{"category": "un_police", "count": 1}]}
    response = await client.post("/v1/evac-requests", json=body, headers=await token("dispatcher"))
    assert response.status == 201, await response.text()
    created = await response.json()
    assert created["grid"] == PICKUP_GRID and created["nine_line"]["location"]["zone_assumed"] is True
    assert created["nine_line"]["nationality"] == [{"status": "B", "category": "un_police", "count": 1}]


async def test_zone_that_cannot_be_assumed_is_refused_with_the_candidates(client, token, mission, db):
    # A mission as wide as the DRC: bases in zones 33 (Kinshasa) and 35/36 (Goma, Bunia).
    for n, (lat, lon) in enumerate([(-4.32, 15.31), (-1.68, 29.22), (1.56, 30.25)]):
        await assets.create(db, mission.id, AssetCreate(callsign=f"UNO-{n}", base={"lat": lat, "lon": lon}, **HELO))
    field = await token("field")
    text = "LINE 1: VV 1234 5678\nLINE 2: DUSTOFF 6\nLINE 3: A 1\nLINE 4: A\nLINE 5: L 1"
    response = await client.post("/v1/evac-requests", data=text, headers=field | {"Content-Type": "text/plain"})
    assert response.status == 422
    [error] = (await response.json())["errors"]
    assert error["field"] == "line 1.location"
    assert "fits 2 places near the mission: 33MVV12345678" in error["message"] and "36MVV12345678" in error["message"]
    assert "give the zone" in error["message"]
    far = text.replace("VV 1234 5678", "FN 1234 5678")  # the square of Bria, far from these bases
    response = await client.post("/v1/evac-requests", data=far, headers=field | {"Content-Type": "text/plain"})
    assert (await response.json())["errors"][0]["message"].startswith("no square 'FN' lies within 500 km")
    assert await db.fetchval("SELECT count(*) FROM evac_requests") == 0


async def test_demo_mission_places_a_zoneless_grid_where_it_was_meant(client, token, db):
    await demo.seed(db)
    field = await token("field", mission_id=demo.DEMO_MISSION)
    meant = (6.95, 19.25)  # a village track east of Kaga-Bandoro
    full = latlon_to_mgrs(*meant, 4)
    text = f"LINE 1: {full[3:5]} {full[5:9]} {full[9:]}\nLINE 2: 38.90 WARTHOG 2\nLINE 3: B 1\nLINE 4: A\nLINE 5: L 1"
    response = await client.post("/v1/evac-requests", data=text, headers=field | {"Content-Type": "text/plain"})
    assert response.status == 201, await response.text()
    created = await response.json()
    assert created["mission_id"] == str(demo.DEMO_MISSION)
    assert created["grid"] == full and full.startswith("34N")
    assert distance_km(*meant, created["pickup"]["lat"], created["pickup"]["lon"]) < 0.15  # a 100 m square
    assert "ZONE ASSUMED" in created["readback"]


async def test_request_stored_before_a_rule_still_reads_without_read_back(client, token, theatre, radio, db):
    field = await token("field")
    created = await radio(field, SPOKEN)
    # Stored when a nationality note without a status was still accepted.
    await db.execute("""UPDATE evac_requests SET nine_line = nine_line || '{"nationality": [], "nationality_note":
                        "BANGLADESHI"}'::jsonb WHERE id = $1""", created["id"])
    response = await client.get(f"/v1/evac-requests/{created['id']}", headers=field)
    assert response.status == 200
    read = await response.json()
    assert read["nine_line"]["nationality_note"] == "BANGLADESHI" and read["readback"] is None
