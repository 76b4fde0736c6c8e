"""Teleconsult through the UI: a clinician requests, a specialist accepts, and they chat, also
while the clinician's link is down (queued, then sent on reconnect)."""

import uuid

from playwright.async_api import expect

from tests import factories
from tests.console.conftest import TABLET, screenshot_path


async def register_specialist(server, token) -> dict:
    user = f"dr-okafor-{uuid.uuid4().hex[:4]}"
    body = factories.specialist(user, name="Dr Okafor", windows=[factories.on_call(hours_after=12)])
    async with server.api(await token("admin")) as admin, admin.post("/v1/specialists", json=body) as response:
        assert response.status == 201, await response.text()
    return await token("specialist", user=user)


async def test_clinician_and_specialist_chat_across_a_dropped_link(server, token, open_console, console_errors):
    specialist = await open_console(await register_specialist(server, token), viewport=TABLET)
    clinician = await open_console(await token("clinician"))

    await request_consult(clinician)
    await expect(clinician.locator("#conn-state")).to_have_attribute("data-state", "open")
    await send(clinician, "BP 96/60, tourniquet on since 10:42")

    await specialist.get_by_role("link", name="Teleconsults").click()
    offer = specialist.locator("li.offer").filter(has_text="Open tibia fracture")
    await offer.get_by_role("button", name="Accept").click()
    await expect(specialist.locator("#messages li")).to_have_count(1)
    await expect(specialist.locator("#messages li")).to_contain_text("BP 96/60")
    await send(specialist, "Splint, antibiotics, evacuate to Level II")
    await expect(clinician.locator("#messages li").last).to_contain_text("Splint, antibiotics")

    with console_errors.expecting_link_failures():
        server.link.down()  # the clinician's tent loses the link: messages wait in the outbox
        await expect(clinician.locator("#conn-state")).to_have_attribute("data-state", "closed")
        await send(clinician, "Patient now drowsy, GCS 13")
        await expect(clinician.locator("#messages li.queued")).to_have_count(1)
        server.link.up()
        await expect(clinician.locator("#conn-state")).to_have_attribute("data-state", "open")
    await expect(clinician.locator("#messages li.queued")).to_have_count(0)
    await expect(specialist.locator("#messages li").last).to_contain_text("GCS 13")
    await expect(specialist.locator("#messages li")).to_have_count(3)
    await clinician.screenshot(path=screenshot_path("teleconsult-clinician"))
    await specialist.screenshot(path=screenshot_path("teleconsult-specialist-tablet"))


async def request_consult(clinician) -> None:
    await clinician.get_by_role("link", name="Teleconsults").click()
    form = clinician.locator("#consult-form")
    await form.get_by_label("Specialty").select_option("orthopaedics")
    await form.get_by_label("Question").fill("Open tibia fracture: reduce here or evacuate?")
    await form.get_by_label("Mechanism").fill("IED blast")
    await form.get_by_label("Injuries").fill("open tibia fracture, left")
    await form.get_by_role("button", name="Request consult").click()


async def send(page, text: str) -> None:
    box = page.get_by_label("Message", exact=True)
    await box.fill(text)
    await box.press("Enter")
