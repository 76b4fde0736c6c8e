"""A mission's own raster basemap from an MBTiles file (`MEDEVAC_BASEMAP_MBTILES`), served as
tiles to the console map: the mission has no internet, so no tile server but this one.

MBTiles is SQLite (`tiles` with TMS rows, `metadata` name/value): read with the standard
library's sqlite3, read-only, in an executor (a tile read is disk I/O).
"""

import asyncio
import sqlite3
from functools import lru_cache, partial
from pathlib import Path

from aiohttp import web
from pydantic import BaseModel, Field

from medevac.auth import ROLES
from medevac.errors import invalid
from medevac.keys import settings_key
from medevac.http.web import Call, RouteTable

routes = RouteTable("basemap")
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


class Basemap(BaseModel):
    available: bool = Field(description="false: no basemap configured, the map shows the offline outlines only")
    name: str | None = None
    format: str | None = None
    minzoom: int | None = None
    maxzoom: int | None = None
    bounds: list[float] | None = Field(None, description="west, south, east, north in degrees")
    attribution: str | None = None


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


@lru_cache(maxsize=4)
def _metadata(path: Path, modified_ns: int) -> Basemap:
    with _connect(path) as db:
        meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
    number = lambda key: int(meta[key]) if key in meta else None  # noqa: E731
    bounds = [float(v) for v in meta["bounds"].split(",")] if "bounds" in meta else None
    return Basemap(available=True, name=meta.get("name"), format=meta.get("format", "png"),
                   minzoom=number("minzoom"), maxzoom=number("maxzoom"), bounds=bounds,
                   attribution=meta.get("attribution"))


def read_metadata(path: Path) -> Basemap:
    """The file's metadata, read again only when the file changes."""
    return _metadata(path, path.stat().st_mtime_ns)


def read_tile(path: Path, z: int, x: int, y: int) -> bytes | None:
    """The tile at XYZ (z, x, y): MBTiles stores rows bottom-up (TMS)."""
    with _connect(path) as db:
        row = db.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                         (z, x, (1 << z) - 1 - y)).fetchone()
    return row[0] if row else None


def _configured(call: Call) -> Path | None:
    return call.request.app[settings_key].basemap_mbtiles


@routes.get("/v1/basemap", summary="The mission's own basemap, if one is configured (MBTiles)",
            roles=frozenset(ROLES), response=Basemap, database=False)
async def basemap(call: Call) -> Basemap:
    path = _configured(call)
    if path is None:
        return Basemap(available=False)
    return await asyncio.get_running_loop().run_in_executor(None, read_metadata, path)


def _coordinate(call: Call, name: str, low: int, high: int) -> int:
    raw = call.param(name)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise invalid(f"path.{name}", f"tile {name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


@routes.get("/v1/basemap/tiles/{z}/{x}/{y}", summary="One basemap tile (XYZ numbering); 204 where the file has none",
            roles=frozenset(ROLES), database=False, extra_responses={204: "the file has no tile there"},
            also_produces=tuple(sorted(set(IMAGE_TYPES.values()))))
async def tile(call: Call) -> web.Response:
    path = _configured(call)
    if path is None:
        raise invalid("basemap", "no basemap is configured (MEDEVAC_BASEMAP_MBTILES)", status=404)
    z = _coordinate(call, "z", 0, 24)
    x, y = (_coordinate(call, name, 0, (1 << z) - 1) for name in ("x", "y"))
    loop = asyncio.get_running_loop()
    data = await loop.run_in_executor(None, partial(read_tile, path, z, x, y))
    if data is None:  # no tile there: nothing to draw, and nothing for the browser to log as an error
        return web.Response(status=204)
    kind = (await loop.run_in_executor(None, read_metadata, path)).format or "png"
    return web.Response(body=data, content_type=IMAGE_TYPES.get(kind, "application/octet-stream"),
                        headers={"Cache-Control": "private, max-age=3600"})
