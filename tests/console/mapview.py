"""Reading the rendered map as an officer sees it: pixels of a chromium screenshot at known
places, projected through the page's own Leaflet map."""

import base64

from playwright.async_api import expect

from tests.console.seed import laydown

# Everything drawn over the ground; hidden when the ground itself is what the test reads.
OVERLAYS = (".leaflet-marker-pane, .leaflet-labels-pane, .leaflet-tooltip-pane, .leaflet-overlay-pane, "
            ".leaflet-control-container { visibility: hidden !important; }")
BLOCK = 9  # pixels each way: a river line or a border across the point does not decide it

_PIXELS = """async ([png, x, y, size]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = Object.assign(document.createElement("canvas"), { width: image.width, height: image.height });
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return Array.from(context.getImageData(x - size, y - size, 2 * size + 1, 2 * size + 1).data);
}"""


async def open_map(server, token, open_console):
    """A dispatcher's map over the small CAR laydown, its day coverage drawn: (api, laydown, page)."""
    headers = await token("dispatcher")
    api = server.api(headers)
    made = await laydown(api)
    page = await open_console(headers)
    await page.get_by_role("link", name="Map").click()
    await expect(page.locator("#coverage-status")).to_have_attribute("data-mode", "day")
    return api, made, page


async def show(page, lat: float, lon: float, zoom: float) -> None:
    """Centre the map there, and wait for the ground's tiles in view (fetched as the view moves)."""
    box = page.locator("#map")
    await box.evaluate(
        "(box, [lat, lon, zoom]) => { box.leafletMap.setView([lat, lon], zoom, { animate: false }); }", [lat, lon, zoom])
    await expect(box).to_have_attribute("data-ground", "ready")


async def colours_at(page, lat: float, lon: float) -> list[tuple[int, int, int]]:
    """The screenshot's pixels around (lat, lon), read in the browser from the PNG itself."""
    box = page.locator("#map")
    x, y = await box.evaluate("(box, p) => { const q = box.leafletMap.latLngToContainerPoint(p); return [q.x, q.y]; }",
                              [lat, lon])
    png = base64.b64encode(await box.screenshot()).decode()
    data = await page.evaluate(_PIXELS, [png, round(x), round(y), BLOCK // 2])
    return [tuple(data[i:i + 3]) for i in range(0, len(data), 4)]


def ground(pixels: list[tuple[int, int, int]]) -> str:
    """'water' where blue leads red by far in most pixels (lakes and sea), else 'land'."""
    water = sum(1 for r, _g, b in pixels if b > r + 30)
    return "water" if water > len(pixels) / 2 else "land"
