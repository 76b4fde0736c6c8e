"""The console shows the pair: a line 6 X call's card names the carrier and its armed escort, and
the approved evacuation's row names both."""

import re

from playwright.async_api import expect

from tests.console.seed import BAMBARI, _create, laydown
from tests.console.test_dispatch_flow import fill_nine_line

GUNSHIP = {"callsign": "HIND 7", "kind": "helicopter", "role": "casevac", "model": "Mi-35", "base": BAMBARI,
           "cruise_kmh": 260, "range_km": 450, "litters": 0, "seats": 2, "night_capable": True, "armed": True,
           "notice_to_move_min": {"day": 15, "night": 20}}


async def x_call(page):
    """Send a line 6 X 9-line from the console's form; its card on the board."""
    await page.get_by_role("link", name="New 9-line").click()
    await fill_nine_line(page, urgent=1)
    await page.locator("#f-security").select_option("X")
    await page.get_by_role("button", name="Submit 9-line").click()
    return page.locator("article.request").filter(has_text="WARTHOG 2")


async def test_x_call_shows_and_tasks_the_pair(server, token, open_console):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
        await _create(api, "/v1/assets", GUNSHIP)
        page = await open_console(headers)
        card = await x_call(page)
        await expect(card.locator(".recommendation .escort")).to_contain_text("Escort: HIND 7")
        await expect(card.locator(".recommendation .escort")).to_contain_text("line 6 X")
        await card.get_by_role("button", name="Approve").click()
        row = page.locator("#evacuations tbody tr")
        await expect(row).to_have_attribute("data-state", "tasked")
        await expect(row.locator("th")).to_contain_text("+ escort HIND 7")


async def test_an_unarmed_choice_without_a_free_escort_is_refused_then_flown_without_one(
        server, token, open_console, console_errors, db):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        made = await laydown(api)
        page = await open_console(headers)
        card = await x_call(page)
        await card.get_by_text("Choose another asset or facility").click()
        await card.get_by_label("Another asset").select_option(made["mi17"]["id"])
        await card.get_by_label("Another facility").select_option(made["level1"]["id"])  # near: not late
        with console_errors.expecting(re.compile(r"status of 422")):
            await card.get_by_role("button", name="Task this choice").click()
            failure = card.locator(".failure")
            await expect(failure).to_contain_text("UNO 21 is unarmed and line 6 says X")
            await expect(failure.locator(".next")).to_contain_text("Choose an armed aircraft")
        assert await db.fetchval("SELECT count(*) FROM evacuations") == 0
        await failure.get_by_role("button", name="Fly without escort").click()
        row = page.locator("#evacuations tbody tr")
        await expect(row).to_have_attribute("data-state", "tasked")
        assert await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'evacuation.unescorted'") == 1
