"""The fast paths under the travel model give the same answers as the definitions they replace."""

import math
import random
from datetime import UTC, datetime, timedelta

from astral import Observer
from astral.sun import elevation
from geographiclib.geodesic import Geodesic

from medevac import geo
from medevac.dispatch.engine.travel import TravelModel
from medevac.dispatch.scenario import Asset, Location

PLACES = [(4.4, 18.6), (16.3, -3.0), (59.9, 10.7), (-33.9, 18.4)]  # Bangui, Gao, Oslo, Cape Town


def test_night_per_place_hour_matches_the_sun_at_every_five_minute_bucket():
    start = datetime(2024, 6, 20, tzinfo=UTC)  # midsummer: Oslo's twilight never ends
    for lat, lon in PLACES:
        for step in range(0, 2 * 24 * 12):  # two days of 5-minute buckets, twilight included
            moment = start + timedelta(minutes=5 * step)
            expected = elevation(Observer(lat, lon), moment) < geo.NIGHT_SUN_ELEVATION_DEG
            assert geo.is_night(lat, lon, moment) == expected, (lat, lon, moment)


def test_geodesic_distance_matches_geographiclib_to_the_millimetre():
    rng = random.Random(7)
    for _ in range(200):
        lat1, lon1, lat2, lon2 = (rng.uniform(-30, 30), rng.uniform(-20, 40), rng.uniform(-30, 30), rng.uniform(-20, 40))
        expected = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"] / 1000
        assert abs(geo.distance_km(lat1, lon1, lat2, lon2) - expected) < 1e-6


def test_one_distance_serves_every_asset_at_its_own_speed_and_roads_add_their_factor():
    travel = TravelModel(datetime(2024, 3, 10, tzinfo=UTC), road_factor=1.4, load_min=10, unload_min=10)
    a, b = Location(lat=4.4, lon=18.6), Location(lat=5.0, lon=19.2)

    def asset(kind: str, kmh: float) -> Asset:
        return Asset(id=f"{kind}{kmh}", callsign="X", kind=kind, role="medevac", base=a, cruise_kmh=kmh,
                     range_km=600, litters=2, seats=2, night_capable=False, hoist=False, armed=False,
                     notice_to_move_min={"day": 15, "night": 30})

    km, seconds = travel.flight(asset("helicopter", 220), a, b)
    assert km == geo.distance_km(a.lat, a.lon, b.lat, b.lon)
    assert seconds == math.ceil(km / 220 * 3600)
    km_fast, seconds_fast = travel.flight(asset("helicopter", 440), a, b)
    assert km_fast == km and seconds_fast < seconds
    km_road, _ = travel.flight(asset("ground", 60), a, b)
    assert abs(km_road - 1.4 * km) < 1e-9
