"""The inbound view opens on the user's own facility, gives every live sortie an ETA in local time
with Z, says when notes are hidden for the role; facility figures are reported by the facility's
own staff, or by whoever holds the explicit right."""

import re

from playwright.async_api import expect

from tests.console.conftest import screenshot_path
from tests.console.seed import laydown, nine_line, submit

MIST = [{"mechanism": "IED blast", "injuries": "open tibia fracture", "time_of_injury": "2026-01-01T06:30:00Z"}]


async def test_inbound_opens_on_my_facility_with_an_eta_for_every_sortie(server, token, open_console):
    async with server.api(await token("dispatcher")) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        level1 = made["level1"]["id"]
        planned = await submit(field, nine_line("ALPHA 1", at={"lat": 5.80, "lon": 20.70}, mist_at=MIST))
        forced = await submit(field, nine_line("FAR WEST 2", at={"lat": 5.9, "lon": 11.0}))
        for request, asset in ((planned, made["mi17"]), (forced, made["bell"])):
            async with api.post(f"/v1/evac-requests/{request['id']}/approve", json={
                    "asset_id": asset["id"], "facility_id": level1, "accept_warnings": True}) as response:
                assert response.status == 201, await response.text()

    clinician = await open_console(await token("clinician", facility_id=level1))
    await clinician.get_by_role("link", name="Inbound").click()
    await expect(clinician.locator("#inbound-facility")).to_have_value(level1)
    arrivals = clinician.locator("article.arrival")
    await expect(arrivals).to_have_count(2)
    for eta in await arrivals.locator(".eta").all_inner_texts():
        assert re.search(r"ETA \d\d \w+, \d\d:\d\d GMT\+1 \(\d\d:\d\dZ\)", eta), eta
    await expect(arrivals.filter(has_text="UNO 34").locator(".eta")).to_contain_text("estimated from the aircraft")
    notes = arrivals.filter(has_text="UNO 21").locator(".mist")
    await expect(notes).to_contain_text("01 Jan, 07:30 GMT+1 (06:30Z)")
    await clinician.screenshot(path=screenshot_path("inbound-clinician"), full_page=True)

    observer = await open_console(await token("observer"))
    await observer.goto(f"{server.url}/#/inbound/{level1}")
    await expect(observer.locator("article.arrival").filter(has_text="UNO 21")).to_contain_text(
        "MIST-AT notes hidden for your role")
    await observer.screenshot(path=screenshot_path("inbound-observer"), full_page=True)


async def test_clinicians_report_for_their_own_facility_unless_given_the_right(server, token, open_console):
    async with server.api(await token("dispatcher")) as api:
        made = await laydown(api)
    own, other = made["level1"], made["level2"]
    headers = await token("clinician", facility_id=own["id"])
    page = await open_console(headers)
    await page.get_by_role("link", name="Facilities").click()
    await expect(page.get_by_label(f"Free beds at {own['name']}")).to_be_visible()
    await expect(page.get_by_label(f"Free beds at {other['name']}")).to_have_count(0)
    await page.screenshot(path=screenshot_path("facilities-own-only"), full_page=True)
    async with server.api(headers) as mine, mine.patch(f"/v1/facilities/{other['id']}", json={"usable_beds": 3}) as r:
        assert r.status == 403 and "only for your own facility" in (await r.json())["detail"]
    entitled = await token("clinician", facility_id=own["id"], rights=("facilities",))
    async with server.api(entitled) as api, api.patch(f"/v1/facilities/{other['id']}", json={"usable_beds": 3}) as r:
        assert r.status == 200, await r.text()
