"""The request card says when no aircraft of the mission can reach a patient (why, and the nearest
way that would work, naming the place), and which aircraft stands idle although it could launch
sooner (why, and what keeping it costs)."""

import re

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import BANGUI, _create, laydown, nine_line, submit


async def test_the_card_names_the_reason_and_the_nearest_way(server, token, open_console, db):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        await laydown(api)
        # Short-legged aircraft at Bangui: 16 km out and 16 km back is more than one tank.
        await db.execute("UPDATE assets SET range_km = 20, base_lat = $1, base_lon = $2", BANGUI["lat"], BANGUI["lon"])
        await submit(field, nine_line("FAR 9", at={"lat": 4.5, "lon": 18.65}))
        page = await open_console(dispatcher)
        card = page.locator("article.request").filter(has_text="FAR 9")
        out = card.locator(".recommendation .unreachable")
        await expect(out).to_contain_text("No aircraft can reach 1×A litter: beyond every helicopter's range")
        await expect(out.locator(".way")).to_contain_text(
            "Nearest way that would work: a forward refuelling point: from Bangui Level II")
        await expect(card.locator(".group")).to_have_count(0)
        await page.screenshot(path=screenshot_path("unreachable-card"), full_page=True)


async def test_the_card_names_an_idle_aircraft_that_could_launch_sooner_and_the_cost(server, token, open_console):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        await laydown(api)
        await _create(api, "/v1/assets", {  # five minutes' notice, but slow and 95 km out
            "callsign": "SLOW 5", "kind": "helicopter", "role": "casevac", "model": "Alouette III",
            "base": {"lat": 6.8, "lon": 20.85}, "cruise_kmh": 150, "range_km": 500, "litters": 2, "seats": 2,
            "night_capable": True, "notice_to_move_min": {"day": 5, "night": 5}})
        await submit(field, nine_line("NEAR 3"))
        page = await open_console(dispatcher)
        card = page.locator("article.request").filter(has_text="NEAR 3")
        await expect(card.locator(".choice")).to_contain_text("UNO 21")
        note = card.locator(".recommendation .idle")
        await expect(note).to_contain_text("SLOW 5 stands idle")
        await expect(note).to_contain_text("better served later by UNO 21")
        await expect(note.locator(".cost")).to_contain_text(re.compile(
            r"Keeping it idle: the plan is \d+ min sooner, \d\.\d\d expected survivors more"))
        await page.screenshot(path=screenshot_path("idle-aircraft-card"), full_page=True)
