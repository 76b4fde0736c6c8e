"""The console shows a ride along: a second call from the landing zone an aircraft is on its way to
says so on its card, and its Approve puts the casualties aboard that aircraft (the sortie's row
counts them)."""

from playwright.async_api import expect

from tests.console.seed import laydown, nine_line, submit


async def test_second_call_rides_along_from_the_card(server, token, open_console):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
        page = await open_console(headers)
        first = await submit(api, nine_line("WARTHOG 2"))
        card = page.locator("article.request").filter(has_text="WARTHOG 2")
        await card.get_by_role("button", name="Approve").click()
        await expect(page.locator("#evacuations tbody tr")).to_have_attribute("data-state", "tasked")

        await submit(api, nine_line("WARTHOG 3"))  # the same grid, while the aircraft is on its way
        second = page.locator("article.request").filter(has_text="WARTHOG 3")
        ride = second.locator(".recommendation .ride-along")
        await expect(ride).to_contain_text("Ride along with UNO 21 (already tasked to this landing zone, lands ")
        await expect(ride).to_contain_text("to Bambari Level I): 1 more aboard")
        row = page.locator("#evacuations tbody tr")
        await expect(row.locator(".aboard")).to_have_text("1 aboard")
        await second.get_by_role("button", name="Approve").click()
        await expect(second).to_have_count(0)  # tasked: off the open board
        await expect(row.locator(".aboard")).to_have_text("2 aboard")  # the rider is on the same sortie
        async with api.get(f"/v1/evacuations?request={first['id']}") as response:
            (evacuation,) = (await response.json())["items"]
        assert len(evacuation["casualty_ids"]) == 2
