"""3 a.m., scripted: two officers approve at once, the network drops, a mass-casualty call comes
in meanwhile, and an aircraft is aborted. After every step each officer's board shows what the
database holds: the open requests, every waiting patient of each (with an aircraft or counted
as without one), and every evacuation under way in its state."""

import asyncio
import re
import uuid

from playwright.async_api import expect

from tests.console.conftest import screenshot_path, until
from tests.console.seed import laydown, nine_line, submit

SHOWN_STATES = ["tasked", "airborne", "at_pickup", "loaded", "handed_over"]
BOARD = """() => {
  const patients = (card) => {
    if (!card.querySelector(".group, .unassigned")) return null;  // still planning
    let n = 0;
    for (const p of card.querySelectorAll(".group .choice")) n += Number(/takes (\\d+) patient/.exec(p.textContent)[1]);
    const none = card.querySelector(".unassigned strong");
    return n + (none ? Number(/^(\\d+)/.exec(none.textContent)[1]) : 0);
  };
  return {
    requests: Object.fromEntries([...document.querySelectorAll("article.request")].map((a) => [a.dataset.request, patients(a)])),
    evacuations: Object.fromEntries([...document.querySelectorAll("#evacuations tbody tr")]
      .map((r) => [r.dataset.evacuation, r.dataset.state])),
  };
}"""


async def database(db) -> dict:
    requests = await db.fetch(
        """SELECT r.id, count(*) FILTER (WHERE c.status = 'waiting') AS waiting
           FROM evac_requests r JOIN casualties c ON c.request_id = r.id WHERE r.status = 'open' GROUP BY r.id""")
    evacuations = await db.fetch("SELECT id, state FROM evacuations WHERE state = ANY($1)", SHOWN_STATES)
    return {"requests": {str(r["id"]): r["waiting"] for r in requests},
            "evacuations": {str(e["id"]): e["state"] for e in evacuations}}


async def board_matches_database(db, *pages) -> dict:
    """Wait (on the condition, not a clock) until every board shows what the database holds."""
    shown = None
    try:
        async with asyncio.timeout(20):
            while True:
                truth = await database(db)
                shown = [await page.evaluate(BOARD) for page in pages]
                if all(s == truth for s in shown):
                    return truth
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"board {shown} != database {await database(db)}") from None


async def aborted(db) -> bool:
    return await db.fetchval("SELECT count(*) FROM evacuations WHERE state = 'aborted'") == 1


async def refused_on_one(*pages) -> bool:
    shown = [await page.locator(".failure").count() for page in pages]
    return sorted(shown) == [0, 1]


async def test_three_in_the_morning(server, token, open_console, console_errors, db):
    async with server.api(await token("dispatcher")) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        await db.execute("UPDATE assets SET status = 'maintenance' WHERE id = $1", uuid.UUID(made["bell"]["id"]))
        await submit(field, nine_line("ALPHA 1", at={"lat": 5.80, "lon": 20.70}))
        await submit(field, nine_line("BRAVO 2", at={"lat": 5.85, "lon": 20.75}))
        first = await open_console(await token("dispatcher", user="mmo-night"))
        second = await open_console(await token("dispatcher", user="mmo-duty"))
        await board_matches_database(db, first, second)

        # Two officers approve at once, each a card that offers the only aircraft: one tasking wins.
        buttons = [first.locator("article.request").filter(has_text="ALPHA 1").get_by_role("button", name="Approve"),
                   second.locator("article.request").filter(has_text="BRAVO 2").get_by_role("button", name="Approve")]
        for button in buttons:
            await expect(button).to_be_enabled()
        with console_errors.expecting(re.compile(r"status of 409")):
            handles = [await b.element_handle() for b in buttons]
            await asyncio.gather(*(h.evaluate("b => b.click()") for h in handles))
            await until(lambda: refused_on_one(first, second))  # the other officer is told, on the card
            truth = await board_matches_database(db, first, second)
        assert len(truth["evacuations"]) == 1 and len(truth["requests"]) == 1
        await first.screenshot(path=screenshot_path("walkthrough-1-approved"), full_page=True)
        await second.screenshot(path=screenshot_path("walkthrough-1-second-officer"), full_page=True)

        # The network drops silently; a mass-casualty call arrives meanwhile; the link returns.
        with console_errors.expecting_link_failures():
            server.link.silence()
            await expect(first.locator("#live")).to_have_attribute("data-state", "reconnecting")
            await submit(field, nine_line("MASCAL 3", urgent=18, at={"lat": 5.9, "lon": 20.8}))
            await first.screenshot(path=screenshot_path("walkthrough-2-link-down"), full_page=True)
            server.link.speak()
            await expect(first.locator("#live")).to_have_attribute("data-state", "live")
            truth = await board_matches_database(db, first, second)
        assert sorted(truth["requests"].values())[-1] == 18
        await first.screenshot(path=screenshot_path("walkthrough-3-mass-casualty"), full_page=True)

        # The aircraft is aborted: its patients wait again, on both boards.
        row = first.locator("#evacuations tbody tr")
        await row.get_by_text("Abort…").click()
        await row.get_by_label("Reason to abort").fill("hydraulic fault on start-up")
        await row.get_by_role("button", name="Abort this sortie").click()
        await until(lambda: aborted(db))
        truth = await board_matches_database(db, first, second)
        assert truth["evacuations"] == {} and len(truth["requests"]) == 3
        await second.screenshot(path=screenshot_path("walkthrough-4-aborted"), full_page=True)
