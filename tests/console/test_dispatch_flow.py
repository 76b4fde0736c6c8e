"""Dispatch, end to end in the browser: a 9-line from the form, its recommendation, approval,
and the evacuation's states arriving live, also across a cut link."""

import re

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown

REFUSED = re.compile(r"status of 422")
STATES = ("airborne", "at_pickup", "loaded", "handed_over")


async def fill_nine_line(page, *, urgent: int) -> None:
    await page.locator("#f-lat").fill("5.95")
    await page.locator("#f-lon").fill("20.85")
    await page.locator("#f-call_sign").fill("WARTHOG 2")
    await page.locator("#f-frequency").fill("38.90")
    await page.locator("#f-prec_A").fill(str(urgent))
    await page.locator("#f-equipment-A").check()
    await page.locator("#f-litter").fill("1")
    await page.locator("#f-security").select_option("P")
    await enter_injury_time(page, 0)


async def enter_injury_time(page, minutes_ago: float, zone: str = "Africa/Bangui") -> None:
    """Type the injury time as the officer would: the mission's wall clock, `minutes_ago` minutes back."""
    await page.locator("#injured-at").evaluate(
        """(e, [ago, zone]) => {
             const wall = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit",
               day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
             e.value = wall.format(new Date(Date.now() - ago * 60000)).replace(" ", "T");
             e.dispatchEvent(new Event("input"));
           }""", [minutes_ago, zone])


async def test_nine_line_to_handover_on_the_board(server, token, open_console, console_errors):
    headers = await token("dispatcher")
    async with server.api(headers) as api, server.api(await token("field")) as crew:
        made = await laydown(api)
        page = await open_console(headers)
        await page.get_by_role("link", name="New 9-line").click()

        # A wrong line is shown on that line, and nothing is sent to the board.
        await fill_nine_line(page, urgent=0)
        with console_errors.expecting(REFUSED):
            await page.get_by_role("button", name="Submit 9-line").click()
            await expect(page.locator("#line-3 .field-error")).to_contain_text("no patients")
        await expect(page.locator("#line-1 .field-error")).to_have_count(0)

        await page.locator("#f-prec_A").fill("1")
        await page.get_by_role("button", name="Submit 9-line").click()
        card = page.locator("article.request").filter(has_text="WARTHOG 2")
        await expect(card.locator(".golden")).to_have_attribute("data-band", "green")
        await expect(card.locator(".recommendation .choice")).to_contain_text("Bambari Level I")
        await expect(card.locator(".times")).to_contain_text("to spare")
        await page.screenshot(path=screenshot_path("dispatch-board"), full_page=True)

        await card.get_by_role("button", name="Approve").click()
        row = page.locator("#evacuations tbody tr")
        await expect(row).to_have_attribute("data-state", "tasked")
        await expect(card).to_have_count(0)  # no longer open
        evacuation_id = await row.get_attribute("data-evacuation")

        for number, state in enumerate(STATES):
            if number == 1:  # the link drops while the crew reports: nothing may be lost
                with console_errors.expecting_link_failures():
                    server.link.down()
                    await expect(page.locator("#live")).to_have_attribute("data-state", "reconnecting")
                    await report(crew, evacuation_id, state)
                    server.link.up()
                    await expect(page.locator("#live")).to_have_attribute("data-state", "live")
            else:
                await report(crew, evacuation_id, state)
            await expect(row).to_have_attribute("data-state", state)
        await expect(row.locator("td.state")).to_have_text("handed over")
        assert made["mi17"]["callsign"] in await row.inner_text() or "UNO 34" in await row.inner_text()


async def report(crew, evacuation_id: str, state: str) -> None:
    async with crew.post(f"/v1/evacuations/{evacuation_id}/transitions", json={"to": state}) as response:
        assert response.status == 200, await response.text()
