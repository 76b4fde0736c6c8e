"""Browser fixtures: the real app on 127.0.0.1 (behind a link the test can cut) and Debian's
chromium driven by Playwright. A test fails on any browser console error or page error, and on
any request the console makes to anywhere but the service.

Chromium is required: a missing browser is an error, never a skip.
"""

import asyncio
import contextlib
import re
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import async_playwright, expect

from tests.console.linkdrop import LinkDrop

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 1024, "height": 768}
expect.set_options(timeout=15_000)
# While the test has cut the link on purpose, the browser reports the failed connections.
LINK_FAILURE = re.compile(r"net::ERR_|WebSocket connection to .* failed|Failed to load resource|Failed to fetch")


# Heartbeats every second: a silent link shows amber in ~1.5 s and red in ~3.5 s.
HEARTBEAT_S = 1.0


@pytest.fixture
def console_settings() -> dict:
    """Settings overrides for the console's server (a test module may override this fixture)."""
    return {}


@pytest.fixture
async def server(make_app, console_settings):
    app_server = TestServer(make_app(heartbeat_s=HEARTBEAT_S, **console_settings), host="127.0.0.1")
    await app_server.start_server()
    link = LinkDrop(app_server.port)
    port = await link.start()
    yield ConsoleServer(app_server, link, f"http://127.0.0.1:{port}")
    await link.close()
    await app_server.close()


class ConsoleServer:
    def __init__(self, app_server: TestServer, link: LinkDrop, url: str) -> None:
        self.app_server, self.link, self.url = app_server, link, url
        self.app = app_server.app

    def api(self, headers: dict) -> aiohttp.ClientSession:
        """A direct HTTP client (not through the cuttable link), as another user or crew would be."""
        return aiohttp.ClientSession(base_url=str(self.app_server.make_url("/")), headers=headers)


class ConsoleErrors:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []

    def console(self, message) -> None:
        if message.type != "error":
            return
        if any(pattern.search(message.text) for pattern in self.allowed):
            return
        self.errors.append(f"console: {message.text} ({message.location})")

    def page_error(self, error) -> None:
        self.errors.append(f"page error: {error}")

    def off_site(self, origin: str):
        """A request listener: missions have no internet, so the console must fetch only from the service."""
        def check(request) -> None:
            if not request.url.startswith((origin + "/", "data:", "blob:", "about:")):
                self.errors.append(f"request off the service: {request.url}")
        return check

    @contextlib.contextmanager
    def expecting(self, pattern: re.Pattern):
        """Allow console errors matching `pattern` in this block only (a cut link, a refused 9-line)."""
        self.allowed.append(pattern)
        try:
            yield
        finally:
            self.allowed.remove(pattern)

    def expecting_link_failures(self):
        return self.expecting(LINK_FAILURE)


@pytest.fixture
async def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def console_errors():
    errors = ConsoleErrors()
    yield errors
    assert errors.errors == [], "\n".join(errors.errors)


@pytest.fixture
def open_console(browser, server, console_errors):
    """`page = await open_console(headers, viewport=...)`: a signed-in console in its own context."""

    async def open_as(headers: dict, viewport: dict = LAPTOP):
        context = await browser.new_context(viewport=viewport)
        context.set_default_timeout(15_000)
        page = await context.new_page()
        page.on("console", console_errors.console)
        page.on("pageerror", console_errors.page_error)
        page.on("request", console_errors.off_site(server.url))
        await page.goto(server.url + "/")
        await page.get_by_label("Access token").fill(headers["Authorization"].removeprefix("Bearer "))
        await page.get_by_role("button", name="Sign in").click()
        await page.locator("#whoami").filter(has_text="·").wait_for()
        return page

    return open_as


async def until(condition, timeout_s: float = 20) -> None:
    """Wait (on the condition, not a clock) until `await condition()` is true."""
    async with asyncio.timeout(timeout_s):
        while not await condition():
            await asyncio.sleep(0.1)


def screenshot_path(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")
