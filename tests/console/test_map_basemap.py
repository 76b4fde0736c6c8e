"""A mission's own basemap: an MBTiles file named in the settings, served as tiles by the service
and drawn under the map's markers, offline."""

import math
import struct
import zlib

import pytest
from playwright.async_api import expect

from tests import factories
from tests.console.conftest import screenshot_path
from tests.console.mapview import OVERLAYS, colours_at, open_map, show
from tests.console.seed import BAMBARI

MAGENTA = (200, 0, 200)
ZOOMS = (5, 6, 7)
AREA = (2.0, 14.0, 9.0, 24.0)  # south, west, north, east: the laydown in the Central African Republic


def solid_png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def tile_xy(lat: float, lon: float, z: int) -> tuple[int, int]:
    n = 1 << z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


@pytest.fixture
def mbtiles(tmp_path):
    path = tmp_path / "mission.mbtiles"
    south, west, north, east = AREA
    tile, tiles = solid_png(MAGENTA), []
    for z in ZOOMS:
        (x0, y0), (x1, y1) = tile_xy(north, west, z), tile_xy(south, east, z)
        tiles += [(z, x, (1 << z) - 1 - y, tile) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return factories.mbtiles(path, tiles, name="Sector East imagery", minzoom=str(ZOOMS[0]),
                             maxzoom=str(ZOOMS[-1]), bounds=f"{west},{south},{east},{north}",
                             attribution="Mission GIS cell")


@pytest.fixture
def console_settings(mbtiles) -> dict:
    return {"basemap_mbtiles": mbtiles}


async def test_the_tiles_are_served_from_the_file(server, token, client):
    headers = await token("observer")
    async with server.api(headers) as api:
        async with api.get("/v1/basemap") as response:
            assert await response.json() == {
                "available": True, "name": "Sector East imagery", "format": "png", "minzoom": 5, "maxzoom": 7,
                "bounds": [14.0, 2.0, 24.0, 9.0], "attribution": "Mission GIS cell"}
        x, y = tile_xy(BAMBARI["lat"], BAMBARI["lon"], 7)
        async with api.get(f"/v1/basemap/tiles/7/{x}/{y}") as response:
            assert response.status == 200
            assert response.content_type == "image/png"
            assert await response.read() == solid_png(MAGENTA)
        async with api.get("/v1/basemap/tiles/7/0/0") as response:
            assert response.status == 204  # none there: nothing to draw
        for path, field in (("/v1/basemap/tiles/99/0/0", "path.z"), ("/v1/basemap/tiles/2/4/0", "path.x"),
                            ("/v1/basemap/tiles/2/0/-1", "path.y")):
            async with api.get(path) as response:
                assert response.status == 422, path
                assert [e["field"] for e in (await response.json())["errors"]] == [field]
    # A service without a basemap says so, and has no tiles.
    assert await (await client.get("/v1/basemap", headers=headers)).json() == {
        "available": False, "name": None, "format": None, "minzoom": None, "maxzoom": None, "bounds": None,
        "attribution": None}
    assert (await client.get("/v1/basemap/tiles/7/0/0", headers=headers)).status == 404


async def test_the_mission_basemap_is_drawn_under_the_markers(server, token, open_console):
    api, _made, page = await open_map(server, token, open_console)
    async with api:
        await page.get_by_role("button", name="off").click()
        toggle = page.get_by_label("Mission basemap")
        await expect(toggle).to_be_checked()
        await expect(page.locator(".mission-tiles img[src^='blob:']").first).to_be_attached()
        await show(page, 5.5, 20.0, 7)
        await expect(page.locator(".leaflet-control-attribution")).to_contain_text("Mission GIS cell")
        await page.screenshot(path=screenshot_path("map-mission-basemap"))
        await page.add_style_tag(content=OVERLAYS)
        assert _mostly(await colours_at(page, 5.5, 20.0), MAGENTA)
        await toggle.evaluate("input => input.click()")  # the controls are hidden for the pixel check
        assert not _mostly(await colours_at(page, 5.5, 20.0), MAGENTA)  # the offline ground again


def _mostly(pixels, rgb) -> bool:
    return sum(1 for p in pixels if all(abs(a - b) < 12 for a, b in zip(p, rgb))) > len(pixels) / 2
