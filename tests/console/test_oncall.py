"""Specialists on call, and emergency teleconsults that go nowhere: a dispatcher puts specialists
on call from the console; an unmatched or unanswered emergency consult is shouted on the
dispatcher's and the clinician's screens (and counted for the Prometheus alert)."""

import re
from datetime import datetime, timezone

import pytest
from playwright.async_api import expect

from medevac.keys import pool_key
from medevac.monitoring.collector import collector_key
from tests import factories
from tests.console.conftest import screenshot_path

REFUSED = re.compile(r"status of 422")
MIST = {"mechanism": "IED blast", "injuries": "open tibia fracture, left", "signs": "BP 96/60",
        "treatment": "tourniquet 10:42"}
ANSWER_TARGET_S = 10  # the shortest a mission may set: an emergency consult unanswered this long raises the alert


@pytest.fixture
def console_settings() -> dict:
    return {"telemed_answer_targets_s": {"emergency": ANSWER_TARGET_S, "urgent": 1800, "routine": 86400}}


async def request_consult(api, specialty: str = "orthopaedics") -> dict:
    body = {"specialty": specialty, "urgency": "emergency", "language": "en",
            "question": "Open tibia fracture: reduce here or evacuate?", "summary": MIST}
    async with api.post("/v1/consults", json=body) as response:
        assert response.status == 201, await response.text()
        return await response.json()


async def test_a_dispatcher_puts_a_specialist_on_call(server, token, open_console, console_errors):
    headers = await token("dispatcher")
    page = await open_console(headers)
    await page.get_by_role("link", name="On call").click()
    form = page.locator("#register-specialist")
    await form.get_by_label("Name").fill("Dr Okafor")
    await form.get_by_label("User (as on their token)").fill("dr-okafor")
    await form.get_by_label("Specialty").select_option("orthopaedics")
    await form.get_by_role("button", name="Register").click()
    row = page.locator("tr[data-user='dr-okafor']")
    await expect(row.locator("td.on-call")).to_contain_text("on call until")

    async with server.api(headers) as api, api.get("/v1/specialists") as response:
        (specialist,) = (await response.json())["items"]
    assert specialist["specialty"] == "orthopaedics"
    (window,) = specialist["windows"]
    assert window["kind"] == "on_call"
    assert datetime.fromisoformat(window["starts_at"]) <= datetime.now(timezone.utc) < datetime.fromisoformat(window["ends_at"])

    # A window that ends before it starts is refused in words, on the form.
    adder = row.locator("form.window-form")
    await adder.get_by_label("End (Z)").fill("2020-01-01T00:00")
    with console_errors.expecting(REFUSED):
        await adder.get_by_role("button", name="Add").click()
        await expect(adder.locator(".field-error")).to_contain_text("end must be after the start")
    await page.screenshot(path=screenshot_path("oncall-roster"), full_page=True)

    await row.get_by_role("button", name="Remove on call window of Dr Okafor").click()
    await expect(row.locator("td.off-call")).to_have_text("not on call")


async def test_an_emergency_consult_with_nobody_on_call_alerts_dispatcher_and_clinician(server, token, open_console):
    clinician_headers = await token("clinician", user="dr-field-1")
    dispatcher = await open_console(await token("dispatcher"))
    clinician = await open_console(clinician_headers)
    async with server.api(clinician_headers) as api:
        consult = await request_consult(api, "neurosurgery")
        assert consult["status"] == "unmatched"
        for page in (dispatcher, clinician):
            alert = page.locator(f".consult-alert[data-consult='{consult['id']}']")
            await expect(alert).to_have_attribute("data-reason", "unmatched")
            await expect(alert).to_contain_text("no neurosurgery specialist is on call")
            await expect(alert).to_contain_text("dr-field-1")
        await expect(dispatcher.get_by_role("link", name="Put a neurosurgery specialist on call")).to_be_visible()
        await expect(clinician.locator(".consult-alert")).to_contain_text("Call the dispatcher")
        await dispatcher.screenshot(path=screenshot_path("consult-alert-dispatcher"))
        await clinician.screenshot(path=screenshot_path("consult-alert-clinician"))
        async with api.post(f"/v1/consults/{consult['id']}/cancel", json={"reason": "patient evacuated"}) as response:
            assert response.status == 200, await response.text()
        for page in (dispatcher, clinician):
            await expect(page.locator(".consult-alert")).to_have_count(0)
            await expect(page.locator("#consult-alerts")).to_be_hidden()


async def test_an_emergency_consult_unanswered_past_its_target_alerts_and_is_counted(server, token, open_console):
    body = factories.specialist("dr-asleep", name="Dr Mensah", windows=[factories.on_call(hours_after=12)])
    async with server.api(await token("admin")) as admin, admin.post("/v1/specialists", json=body) as response:
        assert response.status == 201, await response.text()
    clinician_headers = await token("clinician")
    dispatcher = await open_console(await token("dispatcher"))
    async with server.api(clinician_headers) as api:
        consult = await request_consult(api)
        assert consult["status"] == "offered"  # to Dr Mensah, who does not answer
        alert = dispatcher.locator(f".consult-alert[data-consult='{consult['id']}']")
        await expect(alert).to_have_attribute("data-reason", "unanswered", timeout=3 * ANSWER_TARGET_S * 1000)
        await expect(alert).to_contain_text("no specialist has answered")
        clinician = await open_console(clinician_headers)
        await expect(clinician.locator(f".consult-alert[data-consult='{consult['id']}']")).to_be_visible()
        await server.app[collector_key].refresh(server.app[pool_key])  # as its periodic refresh would
        async with api.get("/metrics") as response:
            metrics = await response.text()
        assert re.search(r'medevac_consults_past_answer_target\{[^}]*urgency="emergency"[^}]*\} 1\.0', metrics)
