"""The 9-line form in the officer's words: errors name the line, an empty line 4 is "A, none",
an empty pickup gives one message; the injury time is unknown unless entered, never in the
future, and entered and shown in the mission's zone with Z beside it; absurd counts are refused,
and a request that needs several aircraft shows who goes with which, and who has none."""

import re
from datetime import datetime, timezone

from playwright.async_api import expect

from tests.console.conftest import screenshot_path, until
from tests.console.seed import laydown
from tests.console.test_dispatch_flow import enter_injury_time

REFUSED = re.compile(r"status of 422")


async def open_form(page) -> None:
    await page.get_by_role("link", name="New 9-line").click()
    await page.locator("#f-call_sign").fill("WARTHOG 4")
    await page.locator("#f-frequency").fill("38.90")


async def test_errors_name_the_line_in_plain_words(server, token, open_console, console_errors, db):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
    page = await open_console(headers)
    await open_form(page)
    await page.locator("#f-prec_A").fill("1")
    await page.locator("#f-litter").fill("1")
    with console_errors.expecting(REFUSED):  # nothing on line 1, nothing ticked on line 4
        await page.get_by_role("button", name="Submit 9-line").click()
        await expect(page.locator("#line-1 .field-error")).to_have_text(
            "give the pickup as an MGRS grid, or as latitude and longitude")
    await expect(page.locator(".field-error")).to_have_count(1)
    await page.screenshot(path=screenshot_path("nineline-empty-pickup"), full_page=True)

    await page.locator("#f-lat").fill("5.95")
    await page.locator("#f-lon").fill("20.85")
    await page.get_by_role("button", name="Submit 9-line").click()
    card = page.locator("article.request").filter(has_text="WARTHOG 4")
    await expect(card).to_have_count(1)
    assert await db.fetchval("SELECT special_equipment FROM evac_requests") == ["A"]


async def test_injury_time_is_unknown_unless_entered_and_never_in_the_future(
        server, token, open_console, console_errors, db):
    headers = await token("dispatcher")
    page = await open_console(headers)
    await open_form(page)
    await expect(page.locator("label[for=injured-at]")).to_contain_text("mission time (Africa/Bangui)")
    await expect(page.locator("#injured-at")).to_have_value("")
    for line, value in (("lat", "5.95"), ("lon", "20.85"), ("prec_A", "1"), ("litter", "1")):
        await page.locator(f"#f-{line}").fill(value)

    await enter_injury_time(page, -600)  # ten hours ahead: a typing error
    with console_errors.expecting(REFUSED):
        await page.get_by_role("button", name="Submit 9-line").click()
        await expect(page.locator("#injury-error")).to_contain_text("is in the future")
    assert await db.fetchval("SELECT count(*) FROM evac_requests") == 0

    await enter_injury_time(page, 25)
    entered = await page.locator("#injured-at").input_value()  # Bangui wall clock: one hour ahead of Z
    z = f"{(int(entered[11:13]) - 1) % 24:02d}:{entered[14:16]}Z"
    await expect(page.locator("#injured-z")).to_contain_text(z)
    await page.screenshot(path=screenshot_path("nineline-injury-time"), full_page=True)
    await page.get_by_role("button", name="Submit 9-line").click()
    card = page.locator("article.request").filter(has_text="WARTHOG 4")
    await expect(card.locator(".injury")).to_contain_text(f"{entered[11:16]} GMT+1 ({z})")
    stored = await db.fetchval("SELECT injured_at FROM evac_requests")
    assert stored.astimezone(timezone.utc).strftime("%H:%MZ") == z

    # A radio call without an injury time: the clock runs from the call, and says so.
    await open_form(page)
    await page.locator("#f-call_sign").fill("VIPER 1")
    for line, value in (("lat", "5.95"), ("lon", "20.85"), ("prec_A", "1"), ("litter", "1")):
        await page.locator(f"#f-{line}").fill(value)
    await page.get_by_role("button", name="Submit 9-line").click()
    unknown = page.locator("article.request").filter(has_text="VIPER 1")
    await expect(unknown.locator(".injury")).to_have_text("injury time unknown (clock from call)")
    assert await db.fetchval("SELECT count(*) FROM evac_requests WHERE injured_at IS NULL") == 1
    assert datetime.now(timezone.utc) > stored
    await page.screenshot(path=screenshot_path("board-injury-times"), full_page=True)


async def test_every_patient_of_a_mass_casualty_call_is_accounted_for(
        server, token, open_console, console_errors, db):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
    page = await open_console(headers)
    await open_form(page)
    for line, value in (("lat", "5.95"), ("lon", "20.85"), ("prec_A", "99"), ("litter", "99")):
        await page.locator(f"#f-{line}").fill(value)
    with console_errors.expecting(REFUSED):
        await page.get_by_role("button", name="Submit 9-line").click()
        await expect(page.locator("#line-3 .field-error")).to_contain_text(
            "99 patients is more than this mission's largest 9-line (40)")

    await page.locator("#f-prec_A").fill("20")
    await page.locator("#f-litter").fill("20")
    await page.get_by_role("button", name="Submit 9-line").click()
    card = page.locator("article.request").filter(has_text="WARTHOG 4")
    await expect(card.locator(".group").first).to_be_visible()
    await page.screenshot(path=screenshot_path("board-mass-casualty"), full_page=True)
    await every_patient_shown(card, 20)

    first = card.get_by_role("button", name=re.compile(r"^Approve .+ for \d+ patients?$")).first
    callsign, taken = re.match(r"Approve (.+) for (\d+)", await first.inner_text()).groups()
    await first.click()
    await expect(page.locator("#evacuations tbody tr th")).to_have_text(callsign)
    assert await db.fetchval("SELECT count(*) FROM casualties WHERE status = 'tasked'") == int(taken)
    await every_patient_shown(card, 20 - int(taken))
    await page.screenshot(path=screenshot_path("board-mass-casualty-after-approval"), full_page=True)


async def every_patient_shown(card, waiting: int) -> None:
    """Wait until the groups and the bold unassigned count add up to everyone still waiting."""
    async def shown() -> int:
        total = 0
        for text in await card.locator(".group .choice").all_inner_texts():
            total += int(re.search(r"takes (\d+) patient", text).group(1))
        unassigned = card.locator(".unassigned strong")
        if await unassigned.count():
            total += int(re.match(r"(\d+)", await unassigned.inner_text()).group(1))
        return total

    async def adds_up() -> bool:
        return await shown() == waiting
    await until(adds_up)
