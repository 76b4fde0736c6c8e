"""The console shell: sign-in, the screens a role may use, and the registry boards live."""

import asyncio

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown


async def test_dispatcher_sees_dispatch_screens_and_live_asset_changes(server, token, open_console):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        made = await laydown(api)
        page = await open_console(headers)
        nav = page.get_by_role("navigation", name="Screens")
        await expect(nav.get_by_role("link")).to_have_text(
            ["Dispatch board", "New 9-line", "Map", "Assets", "Facilities", "Inbound", "On call"])
        await nav.get_by_role("link", name="Assets").click()
        row = page.locator(f"tr[data-asset='{made['bell']['id']}']")
        await expect(row.get_by_role("combobox")).to_have_value("available")
        await expect(page.locator("#live")).to_have_text("● Live")
        # Another dispatcher grounds the aircraft: the board follows without a reload.
        async with api.patch(f"/v1/assets/{made['bell']['id']}", json={"status": "weather_hold"},
                             headers={"If-Match": f'"{made["bell"]["version"]}"'}) as response:
            assert response.status == 200, await response.text()
        await expect(row.get_by_role("combobox")).to_have_value("weather_hold")


async def test_clinician_sees_only_clinical_screens(server, token, open_console):
    page = await open_console(await token("clinician"))
    nav = page.get_by_role("navigation", name="Screens")
    await expect(nav.get_by_role("link")).to_have_text(["Facilities", "Inbound", "Teleconsults"])


async def test_a_bad_token_is_refused_at_sign_in(server, browser, console_errors):
    page = await (await browser.new_context()).new_page()
    page.on("pageerror", console_errors.page_error)
    await page.goto(server.url + "/console/")
    await page.get_by_label("Access token").fill("mdv_not-a-token")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert").first).to_contain_text("not accepted")


async def test_a_screen_still_loading_when_the_officer_moves_on_never_shows(server, token, open_console):
    """On a slow link the board's code is still on its way when the officer opens the map: the board
    must not turn up under the map later (nor keep listening behind it)."""
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
    page = await open_console(headers)
    released = asyncio.Event()

    async def hold(route):
        await released.wait()
        await route.continue_()

    await page.route("**/console/js/board.js", hold)
    await page.reload()  # signed in still: the board is the first screen, and its code is held back
    await page.get_by_role("link", name="Map").click()
    await expect(page.locator("#coverage-status")).to_have_attribute("data-mode", "day")
    released.set()
    await page.evaluate("() => import('/console/js/board.js')")  # the board's code has arrived and run
    await expect(page.get_by_role("heading", name="Map")).to_be_visible()
    await expect(page.get_by_role("heading", name="Open requests")).to_have_count(0)
    await page.screenshot(path=screenshot_path("shell-late-screen-dropped"))
