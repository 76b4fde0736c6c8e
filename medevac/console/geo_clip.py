"""Cutting the world's ground into square tiles of whole degrees (for make_geo): which tiles a shape
touches, a polygon ring clipped to a tile (Sutherland–Hodgman: a tile is convex, and a fill drawn
without an outline shows no seam where the cut runs along its edge), and a line cut into the runs
inside a tile."""

import math
from collections.abc import Iterator

Box = tuple[float, float, float, float]  # west, south, east, north


def tiles_over(box: Box, deg: int) -> Iterator[tuple[str, Box]]:
    """Each tile (named `south_west`) that the box touches, with its own box."""
    west, south, east, north = box
    for s in range(math.floor(south / deg) * deg, min(90, math.floor(north / deg) * deg + deg), deg):
        for w in range(math.floor(west / deg) * deg, min(180, math.floor(east / deg) * deg + deg), deg):
            if s < 90 and w < 180:
                yield f"{s}_{w}", (w, s, w + deg, s + deg)


def _cut(points: list, inside, cross) -> list:
    out: list = []
    for i, here in enumerate(points):
        before = points[i - 1]
        if inside(here):
            if not inside(before):
                out.append(cross(before, here))
            out.append(here)
        elif inside(before):
            out.append(cross(before, here))
    return out


def _at_lon(lon: float):
    return lambda a, b: [lon, a[1] + (b[1] - a[1]) * (lon - a[0]) / (b[0] - a[0])]


def _at_lat(lat: float):
    return lambda a, b: [a[0] + (b[0] - a[0]) * (lat - a[1]) / (b[1] - a[1]), lat]


def clip_ring(ring: list, box: Box) -> list:
    """The part of a closed ring (list of [lon, lat]) inside the box, as one ring (maybe empty)."""
    west, south, east, north = box
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    for inside, cross in ((lambda p: p[0] >= west, _at_lon(west)), (lambda p: p[0] <= east, _at_lon(east)),
                          (lambda p: p[1] >= south, _at_lat(south)), (lambda p: p[1] <= north, _at_lat(north))):
        if not points:
            return []
        points = _cut(points, inside, cross)
    return points + points[:1] if points else []


def clip_line(line: list, box: Box) -> list[list]:
    """The runs of a line that pass through the box, each with the point on either side of it, so the
    run reaches the tile's edge (a neighbour tile draws the same stretch; it is drawn twice)."""
    west, south, east, north = box
    inside = [west <= lon <= east and south <= lat <= north for lon, lat in line]
    runs, start = [], None
    for i, flag in enumerate(inside):
        if flag and start is None:
            start = i
        if start is not None and (not flag or i == len(line) - 1):
            end = i if flag else i - 1
            runs.append(line[max(0, start - 1):min(len(line), end + 2)])
            start = None
    return runs


def simplify(points: list, tolerance: float) -> list:
    """Douglas–Peucker: drop the points that lie within `tolerance` degrees of the line through their
    neighbours kept (ends kept, so a closed ring stays closed)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        far, index = 0.0, None
        for i in range(a + 1, b):
            px, py = points[i][0] - ax, points[i][1] - ay
            d = abs(dx * py - dy * px) / length if length else math.hypot(px, py)
            if d > far:
                far, index = d, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep) if k]
