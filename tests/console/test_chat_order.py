"""Chat order after a drop: what the clinician sees is the server's sequence, even when a message
queued during the outage is delivered after the specialist's messages sent meanwhile."""

import re
import uuid

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.test_teleconsult import register_specialist, request_consult, send


async def test_the_chat_shows_the_servers_order_after_a_silent_drop(server, token, open_console, console_errors, db):
    specialist = await register_specialist(server, token)
    clinician = await open_console(await token("clinician"))
    await request_consult(clinician)
    await expect(clinician.locator("#conn-state")).to_have_attribute("data-state", "open")
    consult_id = re.search(r"#/consults/([0-9a-f-]+)", clinician.url).group(1)
    async with server.api(specialist) as api:
        async with api.post(f"/v1/consults/{consult_id}/accept") as accepted:
            assert accepted.status == 200, await accepted.text()
        with console_errors.expecting_link_failures():
            server.link.silence()
            await expect(clinician.locator("#conn-state")).to_have_attribute("data-state", "closed")
            await send(clinician, "Patient now drowsy, GCS 13")  # queued in the tent
            for n in range(1, 5):  # the specialist goes on meanwhile
                async with api.post(f"/v1/consults/{consult_id}/messages",
                                    json={"client_id": str(uuid.uuid4()), "text": f"advice {n}"}) as posted:
                    assert posted.status == 201, await posted.text()
            server.link.speak()
            await expect(clinician.locator("#messages li.queued")).to_have_count(0)
    stored = [r["text"] for r in await db.fetch(
        "SELECT text FROM consult_messages WHERE consult_id = $1 ORDER BY seq", uuid.UUID(consult_id))]
    assert stored[-1] == "Patient now drowsy, GCS 13"  # the server stored it after the four
    shown = clinician.locator("#messages li")
    await expect(shown).to_have_count(len(stored))
    assert [t.split("\n")[0] for t in await shown.all_inner_texts()] == stored
    await clinician.screenshot(path=screenshot_path("chat-order-after-drop"))
