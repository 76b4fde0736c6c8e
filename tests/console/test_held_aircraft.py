"""No impossible aircraft: an aircraft tasked anyway for a flight the engine judged impossible is
kept out of new recommendations until its sortie is resolved, and the board says so."""

import re
import uuid

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown, nine_line, submit

WARNED = re.compile(r"status of 422")


async def test_a_forced_impossible_tasking_holds_the_aircraft_out_of_new_plans(
        server, token, open_console, console_errors, db):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        await db.execute("UPDATE assets SET status = 'maintenance' WHERE id = $1", uuid.UUID(made["bell"]["id"]))
        await submit(field, nine_line("FAR WEST 1", at={"lat": 5.9, "lon": 11.0}))  # ~1,050 km: beyond its range
        page = await open_console(dispatcher)
        card = page.locator("article.request").filter(has_text="FAR WEST 1")
        await card.get_by_text("Choose another asset or facility").click()
        await card.get_by_label("Another asset").select_option(made["mi17"]["id"])
        with console_errors.expecting(WARNED):
            await card.get_by_role("button", name="Task this choice").click()
            await expect(card.locator(".failure")).to_contain_text("the engine cannot plan this choice")
        await card.get_by_role("button", name="Task anyway").click()
        row = page.locator("#evacuations tbody tr")
        await expect(row.locator(".held")).to_contain_text("kept out of new recommendations")

        # A patient right beside UNO 21's base: no plan may offer the aircraft that is 1,000 km away.
        await submit(field, nine_line("NEAR 2", at={"lat": 5.78, "lon": 20.69}))
        near = page.locator("article.request").filter(has_text="NEAR 2")
        await expect(near.locator(".recommendation")).to_contain_text(re.compile("no asset can serve", re.I))
        await expect(near.locator(".held")).to_contain_text("Not offered: UNO 21")
        await expect(near.locator(".group")).to_have_count(0)
        await page.screenshot(path=screenshot_path("held-aircraft"), full_page=True)
