"""The map's own API: the MGRS grid for a view, and its refusals in plain words."""


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
