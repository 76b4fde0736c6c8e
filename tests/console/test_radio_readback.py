"""Radio text pasted into the console as heard: the board's card says the grid's zone was assumed
and shows the read-back beside the plan."""

import pytest
from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown
from tests.console.test_dispatch_flow import fill_nine_line

# Near Bambari, sent the way a unit whose SOP leaves out the zone sends it (34N DM 8339 5767).
HEARD = """UNO 21 THIS IS WARTHOG 2, I HAVE A 9-LINE MEDEVAC REQUEST, BREAK
LINE 1, DELTA MIKE 8339 5767, BREAK
LINE 2, TREE EIGHT DECIMAL NINER ZERO, WARTHOG TWO, BREAK
LINE 3, 1 ALPHA, BREAK
LINE 4, ALPHA, BREAK
LINE 5, 1 LIMA, BREAK
LINE 6, PAPA, BREAK
LINE 8, 1 UN MILITARY, OVER
"""


@pytest.fixture
async def entry_page(server, token, open_console):
    """The console's 9-line entry for a dispatcher, over a small CAR laydown (zone 34)."""
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
    page = await open_console(headers)
    await page.get_by_role("link", name="New 9-line").click()
    return page


async def test_pasted_radio_text_card_shows_zone_assumed_and_read_back(entry_page):
    page = entry_page
    await page.locator("#radio-text").fill(HEARD)
    await page.get_by_role("button", name="Submit radio text").click()

    card = page.locator("article.request").filter(has_text="WARTHOG 2")
    await expect(card.locator(".meta")).to_contain_text("34NDM83395767")
    await expect(card.locator(".zone-assumed")).to_have_text("zone assumed")
    readback = card.get_by_role("complementary", name="Read-back")
    await expect(readback).to_contain_text(
        "UNO 21 THIS IS WARTHOG TWO, I HAVE A 9-LINE MEDEVAC REQUEST, BREAK\n"
        "LINE ONE, GRID, TREE FOWER NOVEMBER DELTA MIKE EIGHT TREE TREE NINER FIFE SEVEN SIX SEVEN ZONE ASSUMED, BREAK\n"
        "LINE TWO, FREQUENCY TREE EIGHT DECIMAL NINER ZERO, CALL SIGN WARTHOG TWO, BREAK\n"
        "LINE TREE, ONE ALPHA, BREAK")
    await expect(readback).to_contain_text("LINE EIGHT, ONE UN MILITARY, OVER")
    # Beside the card's contents, not under them: the read-back's column starts right of the header
    # and ends inside the card (measured in one go: the board may redraw the card meanwhile).
    beside = await card.evaluate("""card => {
        const [box, header, aside] = [card, card.querySelector("header"), card.querySelector(".readback")]
            .map((e) => e.getBoundingClientRect());
        return aside.left >= header.right - 1 && aside.right <= box.right + 1 && aside.top < header.bottom;
    }""")
    assert beside
    await page.screenshot(path=screenshot_path("radio-readback"), full_page=True)


async def test_form_line_8_in_un_words_is_read_back(entry_page):
    page = entry_page
    await fill_nine_line(page, urgent=1)
    await page.get_by_label("Status").select_option("un_police")
    await page.get_by_role("button", name="Submit 9-line").click()
    card = page.locator("article.request").filter(has_text="WARTHOG 2")
    readback = card.get_by_role("complementary", name="Read-back")
    await expect(readback).to_contain_text("LINE SIX, PAPA, BREAK\nLINE EIGHT, UN POLICE, OVER")
    await expect(card.locator(".zone-assumed")).to_have_count(0)  # lat/lon: no zone to assume
