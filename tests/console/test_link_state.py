"""An honest connection badge: a link that goes silent (sockets open, nothing moving, as radio
and satellite links fail) turns the badge amber after a missed heartbeat and red after a few;
when the link returns the board catches up at once, and the chat says so too."""

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown, nine_line, submit
from tests.console.test_teleconsult import register_specialist, request_consult, send


async def test_a_silent_link_turns_the_badge_amber_then_red_and_the_board_catches_up(
        server, token, open_console, console_errors):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        await laydown(api)
        page = await open_console(dispatcher)
        badge = page.locator("#live")
        await expect(badge).to_have_attribute("data-state", "live")
        await expect(page.locator("#requests")).to_contain_text("No open requests")
        with console_errors.expecting_link_failures():
            server.link.silence()
            await expect(badge).to_have_attribute("data-state", "stale")
            await expect(badge).to_contain_text("Link quiet")
            await page.screenshot(path=screenshot_path("link-amber"))
            await expect(badge).to_have_attribute("data-state", "reconnecting")
            await expect(badge).to_contain_text("Link down")
            await page.screenshot(path=screenshot_path("link-red"))
            await submit(field, nine_line("WARTHOG 9"))  # sent while this console is deaf
            server.link.speak()
            await expect(badge).to_have_attribute("data-state", "live")
            await expect(page.locator("article.request").filter(has_text="WARTHOG 9")).to_have_count(1)


async def test_a_silent_link_shows_on_the_consult_chat(server, token, open_console, console_errors):
    specialist = await register_specialist(server, token)
    clinician = await open_console(await token("clinician"))
    await request_consult(clinician)
    state = clinician.locator("#conn-state")
    await expect(state).to_have_attribute("data-state", "open")
    with console_errors.expecting_link_failures():
        server.link.silence()
        await expect(state).to_have_attribute("data-state", "stale")
        await expect(state).to_have_attribute("data-state", "closed")
        await send(clinician, "GCS 13 now")
        await expect(clinician.locator("#messages li.queued")).to_have_count(1)
        await clinician.screenshot(path=screenshot_path("link-chat-red"))
        server.link.speak()
        await expect(state).to_have_attribute("data-state", "open")
    await expect(clinician.locator("#messages li.queued")).to_have_count(0)
    assert specialist  # the specialist was on call, so the consult was offered (not the subject here)
