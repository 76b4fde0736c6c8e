"""A pre-alert that cannot reach the receiving hospital's FHIR server shows on the dispatch board."""

import pytest
from aiohttp.test_utils import unused_port
from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown

RADIO = "LINE 1: 5.95 N 20.85 E\nLINE 2: 38.90 WARTHOG 2\nLINE 3: A1\nLINE 4: A\nLINE 5: L1\n"


@pytest.fixture
def make_app(settings_for):
    """One delivery attempt: the board shows the failure at once."""
    from medevac.app import create_app

    return lambda **overrides: create_app(settings_for(fhir_push_attempts=1, **overrides))


async def test_undelivered_prealert_is_on_the_board(server, token, open_console):
    headers = await token("dispatcher")
    async with server.api(headers) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        nobody = f"http://127.0.0.1:{unused_port()}/fhir"  # the hospital's server is down
        answer = await api.patch(f"/v1/facilities/{made['level2']['id']}/fhir-endpoint", json={"url": nobody})
        assert answer.status == 200
        page = await open_console(headers)
        await expect(page.locator("#prealerts")).to_be_hidden()

        sent = await field.post("/v1/evac-requests", data=RADIO, headers={"Content-Type": "text/plain"})
        request = await sent.json()
        approved = await api.post(f"/v1/evac-requests/{request['id']}/approve", json={
            "asset_id": made["mi17"]["id"], "facility_id": made["level2"]["id"], "accept_warnings": True})
        assert approved.status == 201, await approved.text()

        alert = page.locator("#prealerts")
        await expect(alert).to_be_visible()
        await expect(alert.locator("p")).to_contain_text("Bangui Level II: the facility's FHIR server could not be reached (down, or the address is wrong)")
        await expect(alert.locator("p")).to_contain_text("Phone the hospital")
        await page.screenshot(path=screenshot_path("prealert-failed"), full_page=True)
