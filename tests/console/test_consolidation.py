"""The console shows a consolidation point: two calls 550 m apart, one aircraft near, and each
card proposes carrying both calls' casualties to one landing zone, with the time it saves."""

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown, nine_line, submit


async def test_nearby_calls_show_a_consolidation_point(server, token, open_console):
    headers = await token("dispatcher")
    async with server.api(headers) as api:
        await laydown(api)
        await submit(api, nine_line("VIPER 1"))
        await submit(api, nine_line("VIPER 2", at={"lat": 5.95, "lon": 20.855}))
        page = await open_console(headers)
        card = page.locator("article.request").filter(has=page.locator("h3", has_text="VIPER 2"))
        proposal = card.locator(".recommendation .consolidation")
        await expect(proposal).to_contain_text("Consolidation point: carry the casualties of")
        await expect(proposal).to_contain_text("VIPER 1")
        await expect(proposal).to_contain_text("this call")
        await expect(proposal).to_contain_text("UNO 21 then lands once for all 2")
        await expect(proposal).to_contain_text("min sooner")
        grid = await proposal.get_attribute("data-grid")
        await expect(proposal).to_contain_text(f"grid {grid}")
        await card.screenshot(path=screenshot_path("consolidation-card"))
