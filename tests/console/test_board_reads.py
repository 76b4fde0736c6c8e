"""The board never paints an older read over a newer one: while a re-read is still on its way (a
slow link), a change makes the board read again only after it, so the board ends on the newest
state. Otherwise a sortie aborted meanwhile stays on the board as if it were still flying."""

import asyncio
import contextlib
import re

from playwright.async_api import expect

from tests.console.seed import laydown, nine_line, submit

EVACUATION_LIST = re.compile(r"/v1/evacuations\?mission=")
# A copy of what the console's event stream receives, so the test can wait until an event is in.
HEARD = """
const fetched = window.fetch;
window.heard = "";
window.fetch = async (...args) => {
  const response = await fetched(...args);
  if (!String(args[0]).startsWith("/v1/events") || !response.body) return response;
  const [copy, stream] = response.body.tee();
  (async () => {
    const reader = copy.pipeThrough(new TextDecoderStream()).getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) window.heard += part.value;
  })();
  return new Response(stream, response);
};
"""


async def test_a_slow_read_never_paints_over_a_newer_one(server, token, open_console):
    dispatcher = await token("dispatcher")
    async with server.api(dispatcher) as api, server.api(await token("field")) as field:
        made = await laydown(api)
        request = await submit(field, nine_line("SLOW 1"))
        async with api.post(f"/v1/evac-requests/{request['id']}/approve", json={
                "asset_id": made["mi17"]["id"], "facility_id": made["level2"]["id"],
                "accept_warnings": True}) as response:
            assert response.status == 201, await response.text()
            evacuation = await response.json()
        page = await open_console(dispatcher)
        await page.context.add_init_script(HEARD)
        await page.reload()  # signed in still (the token lives in the tab's session storage)
        rows = page.locator("#evacuations tbody tr")
        await expect(rows).to_have_count(1)

        reads, in_flight, most = 0, 0, 0
        held, release, read_again = asyncio.Event(), asyncio.Event(), asyncio.Event()

        async def slow_link(route):
            nonlocal reads, in_flight, most
            reads += 1
            first = reads == 1
            in_flight += 1
            most = max(most, in_flight)
            try:
                answer = await route.fetch()  # the state as it is now, delivered late
                if first:
                    held.set()
                    await release.wait()
                else:
                    read_again.set()
                await route.fulfill(response=answer)
            finally:
                in_flight -= 1

        await page.route(EVACUATION_LIST, slow_link)
        await submit(field, nine_line("SLOW 2"))  # an event: the board reads again, over the slow link
        await asyncio.wait_for(held.wait(), 15)
        async with api.post(f"/v1/evacuations/{evacuation['id']}/transitions",
                            json={"to": "aborted", "reason": "pickup site under fire"}) as response:
            assert response.status == 200, await response.text()
        await page.wait_for_function("window.heard.includes('evacuation.aborted')")
        # The console has the abort: a board that read again at once would now overlap the slow
        # read (its fetch goes out within milliseconds); a second is ample to see it.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(read_again.wait(), 1)
        release.set()
        await expect(rows).to_have_count(0)
        assert most == 1, "the board read again while an older read was still on its way"
        assert reads >= 2
