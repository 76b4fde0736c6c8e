"""Cancel, abort and reassign from the console: a junk 9-line is cancelled with a reason
(audited, gone from the board and the basing history); a sortie is reassigned, then aborted."""

import re
import uuid

from playwright.async_api import expect

from medevac.basing.store import mission_history
from tests.console.conftest import screenshot_path
from tests.console.seed import laydown, nine_line, submit

WARNED = re.compile(r"status of 422")


async def test_cancel_a_request_then_reassign_and_abort_a_sortie(server, token, open_console, console_errors, db,
                                                                 mission):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        junk = await submit(field, nine_line("JUNK 1", at={"lat": 4.5, "lon": 18.6}))
        real = await submit(field, nine_line("REAL 2"))
    page = await open_console(dispatcher)

    card = page.locator("article.request").filter(has_text="JUNK 1")
    await card.get_by_text("Cancel request…").click()
    await card.get_by_label("Reason for cancelling").fill("duplicate of REAL 2")
    await page.screenshot(path=screenshot_path("cancel-request"), full_page=True)
    await card.get_by_role("button", name="Cancel this request").click()
    await expect(card).to_have_count(0)
    assert await db.fetchval("SELECT status FROM evac_requests WHERE id = $1", uuid.UUID(junk["id"])) \
        == "cancelled"
    audited = await db.fetchval("SELECT after->>'cancel_reason' FROM audit_log WHERE action = 'evac_request.cancelled'")
    assert audited == "duplicate of REAL 2"
    history = await mission_history(db, mission.id)
    assert {c.incident for c in history.casualties} == {real["id"]}  # the junk call feeds no basing plan

    await page.locator("article.request").filter(has_text="REAL 2").get_by_role("button", name="Approve").click()
    row = page.locator("#evacuations tbody tr")
    await expect(row.locator("th")).to_have_text("UNO 21")
    await row.get_by_text("Reassign…").click()
    await row.get_by_label("Reassign to asset").select_option(made["bell"]["id"])
    await row.get_by_label("Reason to reassign").fill("UNO 21 unserviceable")
    with console_errors.expecting(WARNED):  # a worse choice: the system warns, the officer confirms
        await row.get_by_role("button", name="Abort and task this instead").click()
        failure = row.locator(".failure")
        await expect(failure).to_contain_text("Reassign: the system warns")
    await page.screenshot(path=screenshot_path("reassign-warned"), full_page=True)
    await failure.get_by_role("button", name="Reassign anyway").click()
    await expect(row.locator("th")).to_have_text("UNO 34")
    assert await db.fetchval("SELECT array_agg(state ORDER BY tasked_at) FROM evacuations") == ["aborted", "tasked"]

    await row.get_by_text("Abort…").click()
    await row.get_by_label("Reason to abort").fill("pickup site under fire")
    await page.screenshot(path=screenshot_path("abort-sortie"), full_page=True)
    await row.get_by_role("button", name="Abort this sortie").click()
    await expect(page.locator("#evacuations tbody tr")).to_have_count(0)
    await expect(page.locator("article.request").filter(has_text="REAL 2")).to_have_count(1)  # waiting again
    assert await db.fetchval("SELECT count(*) FROM evacuations WHERE state = 'aborted'") == 2
    assert await db.fetchval("SELECT abort_reason FROM evacuations WHERE asset_id = $1",
                             uuid.UUID(made["bell"]["id"])) == "pickup site under fire"
