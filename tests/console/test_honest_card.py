"""The request card at 3 a.m.: a refused approval stays on the card, in words, with the next
step, until the officer dismisses it; a re-plan that changes the card is marked and asks again."""

import re
import uuid

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown, nine_line, submit

REFUSED = re.compile(r"status of 409")


async def test_a_refused_approval_stays_until_dismissed_and_a_replan_asks_again(
        server, token, open_console, db, console_errors):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        # UNO 34 will take over; flying it by night too keeps the test's plans the same at any hour.
        await db.execute("UPDATE assets SET night_capable = true WHERE id = $1", uuid.UUID(made["bell"]["id"]))
        await submit(field, nine_line("WARTHOG 2"))
        page = await open_console(dispatcher)
        card = page.locator("article.request").filter(has_text="WARTHOG 2")
        await expect(card.locator(".choice")).to_contain_text("UNO 21")

        # Another officer's tasking has not reached this console yet: UNO 21 is no longer free.
        await db.execute("UPDATE assets SET status = 'maintenance' WHERE id = $1", made["mi17"]["id"])
        with console_errors.expecting(REFUSED):
            await card.get_by_role("button", name="Approve").click()
            failure = card.locator(".failure")
            await expect(failure).to_contain_text("Approve refused, nothing changed")
            await expect(failure).to_contain_text("UNO 21 is in maintenance now")
            await expect(failure.locator(".next")).to_contain_text("Choose another aircraft")

        # Other traffic refreshes the board: the refusal is still there.
        await submit(field, nine_line("VIPER 5", at={"lat": 4.5, "lon": 18.6}))
        await expect(page.locator("article.request").filter(has_text="VIPER 5")).to_have_count(1)
        await expect(failure).to_contain_text("UNO 21 is in maintenance now")
        await page.screenshot(path=screenshot_path("honest-card-refused"), full_page=True)

        # The plan catches up: the card says what changed and asks again before Approve.
        version = await db.fetchval("SELECT version FROM assets WHERE id = $1", made["mi17"]["id"])
        async with api.patch(f"/v1/assets/{made['mi17']['id']}", json={"status": "crew_rest"},
                             headers={"If-Match": f'"{version}"'}) as response:
            assert response.status == 200, await response.text()
        changed = card.locator(".changed")
        await expect(changed).to_contain_text("the plan was UNO 21 → Bambari Level I (1 patient)")
        await expect(changed).to_contain_text("now UNO 34")
        await expect(card.get_by_role("button", name="Approve")).to_be_disabled()
        await page.screenshot(path=screenshot_path("honest-card-changed"), full_page=True)
        await changed.get_by_role("button", name="Seen").click()
        await expect(changed).to_have_count(0)
        await failure.get_by_role("button", name="Dismiss").click()
        await expect(failure).to_have_count(0)

        await card.get_by_role("button", name="Approve").click()
        await expect(page.locator("#evacuations tbody tr")).to_contain_text("UNO 34")
        assert await db.fetchval("SELECT count(*) FROM evacuations") == 1

