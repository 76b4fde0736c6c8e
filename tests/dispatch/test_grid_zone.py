"""Grids sent without their zone: placed by the mission's area when one place fits, refused with
the candidates when several do."""

import pytest

from medevac.geo import distance_km
from medevac.grid import GridError, latlon_to_mgrs
from medevac.grid_zone import ZoneMissing, candidates, find_zoneless, resolve
from tests.dispatch.test_nineline_corpus import DEMO_AREA

# A mission as wide as the DRC: Kinshasa (zone 33), Goma (35), Bunia (36).
DRC_WIDE = [(-4.32, 15.31), (-1.68, 29.22), (1.56, 30.25)]


@pytest.mark.parametrize("lat, lon", [(6.55, 21.98), (4.37, 18.58), (5.93, 15.62), (5.05, 25.15), (10.28, 22.80)])
def test_demo_mission_places_every_zoneless_grid_where_it_lies(lat, lon):
    full = latlon_to_mgrs(lat, lon, 4)
    assert resolve(f"{full[3:5]} {full[5:9]} {full[9:]}", DEMO_AREA) == full


def test_several_places_are_refused_with_all_of_them():
    with pytest.raises(GridError) as caught:
        resolve("VV 1234 5678", DRC_WIDE)
    assert "fits 2 places near the mission: 33MVV12345678 (-0.39, 14.21), 36MVV12345678 (-4.91, 32.21)" \
        in str(caught.value)
    found = candidates("VV12345678", DRC_WIDE)
    assert all(min(distance_km(lat, lon, *p) for p in DRC_WIDE) <= 500 for _, lat, lon in found)


def test_no_area_or_an_empty_one_asks_for_the_zone():
    with pytest.raises(ZoneMissing):
        resolve("FN 1234 5678", None)
    with pytest.raises(GridError, match="mission has no facilities or bases"):
        resolve("FN 1234 5678", [])
    with pytest.raises(GridError, match="no square 'VV' lies within 500 km"):
        resolve("VV 1234 5678", DEMO_AREA)


@pytest.mark.parametrize("text, found", [
    ("FN 1234 5678", "FN 1234 5678"), ("LZ EAGLE FN12345678", "FN12345678"), ("CN 011 719", "CN 011 719"),
    ("FN 123 5678", None), ("LZ 1234", None), ("HLZ 1234 5678", None), ("34N FN", None),
])
def test_finding_a_zoneless_grid_in_text(text, found):
    match = find_zoneless(text)
    assert (match.group() if match else None) == found
