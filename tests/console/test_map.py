"""The map: country outlines, facilities by Level and status, assets, and the coverage layer."""

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown


async def test_map_shows_facilities_assets_and_day_and_night_coverage(server, token, open_console):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
        page = await open_console(headers)
        await page.get_by_role("link", name="Map").click()
        await expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()  # outlines
        facilities = page.locator(".facility-icon.leaflet-marker-icon")
        await expect(facilities).to_have_count(2)
        assert sorted(await facilities.all_inner_texts()) == ["I", "II"]  # Levels
        await expect(facilities.and_(page.locator(".status-open"))).to_have_count(2)
        await expect(page.locator(".asset-icon.leaflet-marker-icon")).to_have_count(2)
        status = page.locator("#coverage-status")
        await expect(status).to_have_attribute("data-mode", "day")
        day_cells = await page.locator("path.coverage-cell").count()
        assert day_cells > 0
        await page.screenshot(path=screenshot_path("map"))
        # By night only the NVG Mi-17 flies, and only to the facility that takes night landings.
        await page.get_by_role("button", name="night").click()
        await expect(status).to_have_attribute("data-mode", "night")
        night_cells = await page.locator("path.coverage-cell").count()
        assert 0 < night_cells < day_cells


async def test_a_global_admin_opens_the_map_of_the_first_mission_it_sees(server, token, open_console):
    """An admin whose token spans every mission has no mission of its own: the console shows the first."""
    async with server.api(await token("dispatcher")) as api:
        await laydown(api)
    page = await open_console(await token("admin", mission_id=None))
    await page.get_by_role("link", name="Map").click()
    await expect(page.locator(".facility-icon.leaflet-marker-icon")).to_have_count(2)
    await expect(page.locator("#coverage-status")).to_have_attribute("data-mode", "day")


async def test_an_admin_spanning_every_mission_before_any_exists_is_told_so(server, token, open_console, db):
    admin = await token("admin", mission_id=None)
    await db.execute("DELETE FROM missions")  # the token fixture's mission: nothing refers to it
    page = await open_console(admin)
    for screen in ("Dispatch board", "Map", "Planning"):
        await page.get_by_role("link", name=screen).click()
        await expect(page.get_by_role("status").filter(has_text="No mission exists yet")).to_be_visible()

