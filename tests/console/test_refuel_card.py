"""A sortie whose receiving facility lies beyond one tank from the pickup refuels on the way in,
the patient aboard, and the card says where and when."""

import re
import uuid

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import _create, laydown, nine_line, submit

SIBUT = {"lat": 5.72, "lon": 19.08}  # on the road from Bambari to Bangui


async def test_the_card_names_the_refuelling_stop_on_the_way_in(server, token, open_console, db):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        await _create(api, "/v1/facilities", {"name": "Sibut fuel point", "level": 1, "location": SIBUT, "beds": 2,
                                              "usable_beds": 2, "night_landing": True, "refuel": True,
                                              "capabilities": ["resuscitation"]})
        # UNO 21 (Bambari) with 250 km of fuel: the pickup is 28 km out, surgery (Bangui) 330 km on.
        await db.execute("UPDATE assets SET range_km = 250 WHERE id = $1", uuid.UUID(made["mi17"]["id"]))
        await db.execute("UPDATE assets SET status = 'maintenance' WHERE id = $1", uuid.UUID(made["bell"]["id"]))
        await submit(field, nine_line("SURGICAL 4", precedence={"B": 1}))
    page = await open_console(dispatcher)
    card = page.locator("article.request").filter(has_text="SURGICAL 4")
    await expect(card.locator(".group")).to_contain_text("Bangui Level II")
    await expect(card.locator(".refuel")).to_have_text(re.compile(
        r"^UNO 21 refuels at Sibut fuel point \d\d:\d\dZ-\d\d:\d\dZ on the way in, the patients aboard "
        r"\(one tank does not reach\)\.$"))
    await page.screenshot(path=screenshot_path("refuel-card"), full_page=True)
