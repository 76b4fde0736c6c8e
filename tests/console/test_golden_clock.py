"""One clock: the golden-hour box shows the time left and the plan's predicted margin, and its
colour follows the worse of the two, so "GREEN 0:49 left" never sits beside "34 min late"."""

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown, nine_line, submit


async def test_the_clock_turns_red_on_a_late_plan_with_time_still_left(server, token, open_console):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        await laydown(api)
        await submit(field, nine_line("ON TIME 1", at={"lat": 5.78, "lon": 20.69}))  # beside UNO 21's base
        await submit(field, nine_line("FAR AWAY 2", at={"lat": 4.5, "lon": 18.6}))  # hours from any aircraft
    page = await open_console(dispatcher)
    near = page.locator("article.request").filter(has_text="ON TIME 1").locator(".golden")
    far = page.locator("article.request").filter(has_text="FAR AWAY 2").locator(".golden")
    await expect(far.locator(".predicted")).to_contain_text("min late")
    await expect(far.locator(".left")).to_contain_text("left of 60 min")  # the hour has not run out yet
    await expect(far).to_have_attribute("data-band", "red")
    await expect(near.locator(".predicted")).to_contain_text("min to spare")
    await expect(near).to_have_attribute("data-band", "green")
    await page.screenshot(path=screenshot_path("golden-clock-one-clock"), full_page=True)
