"""The map for operations: the ground (land and water over the whole referral region), towns,
rivers, the MGRS grid, markers that share a spot, tasked aircraft's routes, coverage bands."""

import re

import pytest
from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.mapview import OVERLAYS, colours_at, ground, open_map, show
from tests.console.seed import BAMBARI, _create, laydown

# Missions as in the shared geography: where each sends patients (its facilities, the Level IV abroad
# among them: Level 4) and its aircraft base; then known places in its map's region, land and water.
MISSIONS = {
    "car-kampala": {"facilities": {"Bangui": (2, 4.39, 18.55), "Nakasero, Kampala": (4, 0.32, 32.58)},
                    "base": (5.76, 20.67),
                    "land": {"Kampala": (0.32, 32.58), "Bangui": (4.39, 18.55), "Juba": (4.85, 31.58)},
                    "water": {"Lake Victoria": (-1.0, 33.0), "Lake Albert": (1.7, 31.0)}},
    "kivu-kampala": {"facilities": {"Goma": (2, -1.68, 29.23), "Nakasero, Kampala": (4, 0.32, 32.58)},
                     "base": (0.49, 29.47),
                     "land": {"Goma": (-1.6, 29.3), "Kigali": (-1.95, 30.06), "Kampala": (0.32, 32.58)},
                     "water": {"Lake Kivu": (-2.0, 29.2), "Lake Edward": (-0.4, 29.6), "Lake Victoria": (-1.0, 33.0)}},
    "mali-dakar": {"facilities": {"Gao": (2, 16.25, 0.0), "Hopital Principal, Dakar": (4, 14.66, -17.43)},
                   "base": (16.73, -3.01),
                   "land": {"Dakar": (14.69, -17.44), "Gao": (16.27, -0.04), "Saint-Louis": (16.03, -16.49)},
                   "water": {"Atlantic off Dakar": (14.7, -17.8), "Atlantic off Saint-Louis": (16.0, -16.9)}},
    # Lebanon: a mission outside Africa, its Level IV in Beirut.
    "lebanon-beirut": {"facilities": {"Naqoura": (2, 33.12, 35.14), "Saint George, Beirut": (4, 33.89, 35.52)},
                       "base": (33.12, 35.14),
                       "land": {"Beirut": (33.87, 35.53), "Nabatieh": (33.38, 35.48), "Damascus": (33.51, 36.29)},
                       "water": {"Mediterranean off Beirut": (33.9, 35.3), "Mediterranean off Tyre": (33.27, 35.05),
                                 "Sea of Galilee": (32.82, 35.59)}},
}
RADIO = "LOCATION: 6.6 N 22.05 E\nFREQ/CALLSIGN: 123.45 MHz TUNAIR 1\nPRECEDENCE: URGENT 1\n" \
        "SPECIAL EQUIPMENT: NONE\nPATIENTS BY TYPE: LITTER 1\n"


@pytest.mark.parametrize("name", MISSIONS)
async def test_each_mission_map_shows_the_ground_where_it_sends_patients(name, server, token, open_console):
    mission = MISSIONS[name]
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        for facility, (level, lat, lon) in mission["facilities"].items():
            await _create(api, "/v1/facilities", {"name": facility, "level": level,
                                                  "location": {"lat": lat, "lon": lon}, "beds": 10, "usable_beds": 10,
                                                  "capabilities": ["resuscitation", "surgery"]})
        lat, lon = mission["base"]
        await _create(api, "/v1/assets", {"callsign": "UNO 1", "kind": "helicopter", "role": "medevac",
                                          "base": {"lat": lat, "lon": lon}, "cruise_kmh": 220, "range_km": 900,
                                          "litters": 4, "seats": 8, "notice_to_move_min": {"day": 15, "night": 20}})
        extent = await (await api.get("/v1/map/extent")).json()
    page = await open_console(headers)
    await page.get_by_role("link", name="Map").click()
    box = page.locator("#map")
    await expect(box).to_have_attribute("data-south", str(extent["south"]))  # the map opens on the API's extent
    await expect(box).to_have_attribute("data-ground", "ready")
    await expect(page.locator("#coverage-status")).to_have_attribute("data-mode", "day")
    await page.screenshot(path=screenshot_path(f"map-region-{name}"))
    await page.get_by_role("button", name="off").click()
    await page.add_style_tag(content=OVERLAYS)
    seen = {}
    for place, (lat, lon) in mission["land"].items() | mission["water"].items():
        await show(page, lat, lon, 9)
        seen[place] = ground(await colours_at(page, lat, lon))
    assert seen == {place: "land" for place in mission["land"]} | {place: "water" for place in mission["water"]}
    # The officer cannot wander off the mission's region: the view is held near it.
    await box.evaluate("box => { box.leafletMap.setView([60, -100], 9, { animate: false }); }")
    centre = await box.evaluate("box => { const c = box.leafletMap.getCenter(); return [c.lat, c.lng]; }")
    height, width = extent["north"] - extent["south"], extent["east"] - extent["west"]
    assert extent["south"] - height / 4 <= centre[0] <= extent["north"] + height / 4, centre
    assert extent["west"] - width / 4 <= centre[1] <= extent["east"] + width / 4, centre


async def test_towns_rivers_and_the_mgrs_grid_when_zoomed_in(server, token, open_console):
    api, _made, page = await open_map(server, token, open_console)
    async with api:
        await page.get_by_role("button", name="off").click()
        await show(page, 4.45, 18.6, 9)
        places = page.locator(".leaflet-labels-pane .place")
        await expect(places.filter(has_text=re.compile(r"^Bangui$"))).to_have_count(1)
        await expect(places.filter(has_text="Bimbo")).to_have_count(1)  # a town near Bangui, only zoomed in
        assert await page.locator(".leaflet-ground-pane path").count() > 100  # land, lakes, rivers, borders
        await page.get_by_label("MGRS grid").check()
        box = page.locator("#map")
        await expect(box).to_have_attribute("data-mgrs-spacing", "100000")
        await expect(page.locator(".mgrs-label").filter(has_text=re.compile(r"^34N BK$"))).to_have_count(1)
        await page.screenshot(path=screenshot_path("map-bangui-100km"))
        await show(page, 4.4, 18.55, 11)
        await expect(box).to_have_attribute("data-mgrs-spacing", "10000")
        # Bangui is 34N BK 28 (10 km square BK 2 8): its square is labelled on the map.
        await expect(page.locator(".mgrs-label").filter(has_text=re.compile(r"^BK 2 8$"))).to_have_count(1)
        assert await page.locator("path.mgrs-line").count() > 8
        await page.screenshot(path=screenshot_path("map-bangui-grid"))
        await show(page, 5, 20, 5)  # zoomed out: 100 km squares or grid zones, never thousands of labels
        await expect(box).not_to_have_attribute("data-mgrs-spacing", "10000")
        assert 0 < await page.locator(".mgrs-label").count() < 400


async def test_five_aircraft_on_one_base_gather_and_spread_on_click(server, token, open_console):
    api, made, page = await open_map(server, token, open_console)
    async with api:
        for n in range(4):  # with the laydown's Mi-17: five aircraft at Bambari, beside its Level I
            await _create(api, "/v1/assets", {"callsign": f"UNO 4{n}", "kind": "helicopter", "role": "medevac",
                                              "model": "Mi-8", "base": BAMBARI, "cruise_kmh": 200, "range_km": 600,
                                              "litters": 4, "seats": 8,
                                              "notice_to_move_min": {"day": 15, "night": 20}})
        await page.reload()
        await expect(page.locator("#coverage-status")).to_have_attribute("data-mode", "day")
        cluster = page.locator(".cluster-icon.leaflet-marker-icon")
        await expect(cluster).to_have_count(1)
        await expect(cluster).to_have_text("6")
        assert "Bambari Level I" in await cluster.locator("span").get_attribute("title")
        await page.screenshot(path=screenshot_path("map-cluster"))
        await cluster.click()
        assets = page.locator(".asset-icon.leaflet-marker-icon")
        await expect(assets).to_have_count(6)  # the five at Bambari and the Bell at Kaga-Bandoro
        await expect(page.locator(".facility-icon.leaflet-marker-icon")).to_have_count(2)
        assert len(await centres(assets)) == 6  # none hides another
        await page.screenshot(path=screenshot_path("map-cluster-spread"))
        # Another dispatcher grounds one of them: the map redraws, and the spot stays spread.
        async with api.patch(f"/v1/assets/{made['mi17']['id']}", json={"status": "weather_hold"},
                             headers={"If-Match": f'"{made["mi17"]["version"]}"'}) as response:
            assert response.status == 200, await response.text()
        await expect(page.locator(".asset-icon.status-weather_hold.leaflet-marker-icon")).to_have_count(1)
        await expect(assets).to_have_count(6)
        assert len(await centres(assets)) == 6


async def centres(markers) -> set[tuple[int, int]]:
    boxes = [await m.bounding_box() for m in await markers.all()]
    return {(round(b["x"] + b["width"] / 2), round(b["y"] + b["height"] / 2)) for b in boxes}


async def test_a_tasked_aircraft_route_shows_with_its_etas(server, token, open_console):
    api, made, page = await open_map(server, token, open_console)
    async with api:
        async with api.post("/v1/evac-requests", data=RADIO.encode(), headers={"Content-Type": "text/plain"}) as r:
            assert r.status == 201, await r.text()
            request = await r.json()
        choice = {"asset_id": made["mi17"]["id"], "facility_id": made["level2"]["id"], "accept_warnings": True}
        async with api.post(f"/v1/evac-requests/{request['id']}/approve", json=choice) as r:
            assert r.status == 201, await r.text()
            sortie = await r.json()
        routes = page.locator("path.sortie-route")
        await expect(routes).to_have_count(2)  # to the pickup, then on to the facility
        labels = page.locator(".sortie-eta")
        pickup_eta, facility_eta = sortie["eta_pickup"][11:16] + "Z", sortie["eta_facility"][11:16] + "Z"
        await expect(labels.filter(has_text="UNO 21 → pickup")).to_contain_text(pickup_eta)
        await expect(labels.filter(has_text="UNO 21 → Bangui Level II")).to_contain_text(facility_eta)
        await page.screenshot(path=screenshot_path("map-sortie"))
        async with api.post(f"/v1/evacuations/{sortie['id']}/transitions", json={"to": "aborted", "reason": "test"}) as r:
            assert r.status == 200, await r.text()
        await expect(routes).to_have_count(0)


async def test_coverage_bands_say_where_care_is_reached_day_and_night(server, token, open_console):
    _api, _made, page = await open_map(server, token, open_console)
    async with _api:
        status = page.locator("#coverage-status")
        await expect(status).to_contain_text("60 min")
        await expect(status).to_contain_text("240 min")
        cells = page.locator("path.coverage-cell")
        # Beyond the golden hour the grid still says something: 90, 120 and 240 minute bands.
        for band in (60, 90, 120, 240):
            assert await page.locator(f"path.coverage-cell.band-{band}").count() > 0, band
        day_cells = await cells.count()
        await page.screenshot(path=screenshot_path("map"))
        # By night only the NVG Mi-17 flies, and only to the facility that takes night landings.
        await page.get_by_role("button", name="night").click()
        await expect(status).to_have_attribute("data-mode", "night")
        await expect(status).to_contain_text("(night)")
        assert 0 < await cells.count() <= day_cells
        await page.get_by_role("button", name="off").click()
        await expect(cells).to_have_count(0)


async def test_a_global_admin_opens_the_map_of_the_first_mission_it_sees(server, token, open_console):
    """An admin whose token spans every mission has no mission of its own: the console shows the first."""
    async with server.api(await token("dispatcher")) as api:
        await laydown(api)
    page = await open_console(await token("admin", mission_id=None))
    await page.get_by_role("link", name="Map").click()
    # Bangui's Level II alone; Bambari's Level I with the Mi-17 based there, gathered
    await expect(page.locator(".facility-icon.leaflet-marker-icon")).to_have_count(1)
    await expect(page.locator(".cluster-icon.leaflet-marker-icon")).to_have_text("2")
    await expect(page.locator("#coverage-status")).to_have_attribute("data-mode", "day")


async def test_an_admin_spanning_every_mission_before_any_exists_is_told_so(server, token, open_console, db):
    admin = await token("admin", mission_id=None)
    await db.execute("DELETE FROM missions")  # the token fixture's mission: nothing refers to it
    page = await open_console(admin)
    for screen in ("Dispatch board", "Map", "Planning"):
        await page.get_by_role("link", name=screen).click()
        await expect(page.get_by_role("status").filter(has_text="No mission exists yet")).to_be_visible()

