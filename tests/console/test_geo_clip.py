"""Cutting the ground into tiles (the build step behind the console's offline map)."""

from medevac.console.geo_clip import clip_line, clip_ring, simplify, tiles_over


def test_a_box_touches_the_tiles_it_overlaps_named_by_their_south_west_corner():
    assert [name for name, _box in tiles_over((-17.5, 14.6, -7.9, 16.3), 10)] == ["10_-20", "10_-10"]
    assert dict(tiles_over((35.1, 33.1, 35.6, 33.9), 10)) == {"30_30": (30, 30, 40, 40)}
    assert len(list(tiles_over((-180, -90, 180, 90), 10))) == 18 * 36  # never past a pole or the antimeridian


def test_a_ring_is_cut_to_the_tile_and_stays_closed():
    square = [[-5, -5], [5, -5], [5, 5], [-5, 5], [-5, -5]]  # 10 by 10 around the corner of four tiles
    assert clip_ring(square, (0, 0, 10, 10)) == [[0, 0], [5, 0], [5, 5], [0, 5], [0, 0]]
    assert clip_ring(square, (20, 20, 30, 30)) == []


def test_a_line_keeps_its_runs_through_the_tile_reaching_past_the_edge():
    line = [[-1, 1], [1, 1], [2, 1], [11, 1], [12, 5], [8, 5]]
    assert clip_line(line, (0, 0, 10, 10)) == [[[-1, 1], [1, 1], [2, 1], [11, 1]], [[12, 5], [8, 5]]]


def test_simplify_drops_points_within_the_tolerance_and_keeps_corners():
    assert simplify([[0, 0], [1, 0.001], [2, 0], [2, 2]], 0.01) == [[0, 0], [2, 0], [2, 2]]
