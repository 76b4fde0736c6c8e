"""The map's own API: the MGRS grid for a view, a mission's extent, and their refusals in plain words."""

from medevac.missions import store as missions
from medevac.missions.model import MissionCreate


async def test_the_mgrs_grid_names_the_squares_of_the_view(client, token):
    headers = await token("observer")
    near_bangui = {"south": "4.32", "west": "18.48", "north": "4.46", "east": "18.62"}
    grid = await (await client.get("/v1/map/mgrs-grid", params=near_bangui, headers=headers)).json()
    assert grid["spacing_m"] == 1000  # about 16 km across: 1 km squares
    assert "BK 28 85" in {label["text"] for label in grid["labels"]}  # Bangui (4.39 N 18.55 E) is 34N BK 28 85
    assert all(len(line) > 1 for line in grid["lines"])
    wide = {"south": "-15", "west": "-20", "north": "38", "east": "52"}
    zones = await (await client.get("/v1/map/mgrs-grid", params=wide, headers=headers)).json()
    assert zones["spacing_m"] is None and "34N" in {label["text"] for label in zones["labels"]}


async def test_a_view_upside_down_or_off_the_grid_is_refused_naming_the_edge(client, token):
    headers = await token("dispatcher")
    for params, field in (({"south": "5", "west": "18", "north": "4", "east": "19"}, "query.north"),
                          ({"south": "4", "west": "19", "north": "5", "east": "19"}, "query.east"),
                          ({"south": "4", "west": "18", "north": "89", "east": "19"}, "query.north")):
        response = await client.get("/v1/map/mgrs-grid", params=params, headers=headers)
        assert response.status == 422
        problem = await response.json()
        assert [e["field"] for e in problem["errors"]] == [field], problem


async def test_the_tile_operation_is_documented_as_an_image_or_nothing(client):
    document = await (await client.get("/openapi.json")).json()
    responses = document["paths"]["/v1/basemap/tiles/{z}/{x}/{y}"]["get"]["responses"]
    assert {"200", "204", "404", "422"} <= set(responses)
    assert "text/event-stream" not in str(document["paths"]["/v1/map/mgrs-grid"])


async def test_the_extent_holds_every_facility_and_aircraft_with_a_margin(client, token, mission):
    headers = await token("dispatcher")
    empty = await (await client.get("/v1/map/extent", headers=headers)).json()
    assert (empty["south"], empty["places"]) == (None, 0)  # nothing yet: the console shows a default view
    for name, level, lat, lon in (("Gao Level II", 2, 16.25, 0.0), ("Hopital Principal, Dakar", 4, 14.66, -17.43)):
        body = {"name": name, "level": level, "location": {"lat": lat, "lon": lon}, "beds": 10, "usable_beds": 10}
        assert (await client.post("/v1/facilities", json=body, headers=headers)).status == 201
    body = {"callsign": "TUN C130", "kind": "fixed_wing", "role": "casevac",
            "base": {"lat": 12.53, "lon": -7.95}, "cruise_kmh": 540, "range_km": 3800, "litters": 40, "seats": 60,
            "notice_to_move_min": {"day": 120, "night": 180}}
    assert (await client.post("/v1/assets", json=body, headers=headers)).status == 201
    extent = await (await client.get("/v1/map/extent", params={"mission": str(mission.id)},
                                     headers=await token("observer"))).json()
    # Dakar (the Level IV abroad) and the Bamako base are inside, 1.5 degrees from the edge.
    assert [round(extent[edge], 2) for edge in ("south", "west", "north", "east")] == [11.03, -18.93, 17.75, 1.5]
    assert extent["places"] == 4  # two facilities, the aircraft's base and its position


async def test_the_extent_of_another_mission_is_refused(client, token, db):
    other = await missions.create(db, MissionCreate(name="Elsewhere"))
    response = await client.get("/v1/map/extent", params={"mission": str(other.id)}, headers=await token("dispatcher"))
    assert response.status == 403
