from datetime import UTC, datetime

from medevac import geo


def test_distance_matches_the_geography_notes():
    # Aguelhok → Gao is 368 km great-circle (geography.md §8).
    assert abs(geo.distance_km(19.47, 0.86, 16.25, 0.0) - 368) < 1
    assert geo.distance_km(4.39, 18.54, 4.39, 18.54) == 0.0


def test_night_follows_the_sun_at_the_place():
    noon_gao = datetime(2019, 11, 12, 12, 0, tzinfo=UTC)
    midnight_gao = datetime(2019, 11, 12, 0, 0, tzinfo=UTC)
    assert not geo.is_night(16.25, 0.0, noon_gao)
    assert geo.is_night(16.25, 0.0, midnight_gao)
    # At 18:00 UTC it is dark in Kampala (UTC+2 by the sun) but still light in Dakar (UTC-1).
    evening = datetime(2019, 11, 12, 18, 30, tzinfo=UTC)
    assert geo.is_night(0.32, 32.58, evening) and not geo.is_night(14.66, -17.43, evening)


def test_next_daylight_and_dusk_bracket_the_night():
    midnight = datetime(2019, 11, 12, 0, 0, tzinfo=UTC)
    dawn = geo.next_daylight(16.25, 0.0, midnight)
    assert dawn is not None and 5 <= dawn.hour <= 7
    dusk = geo.next_dusk(16.25, 0.0, dawn)
    assert 17 <= dusk.hour <= 19
    assert geo.next_daylight(16.25, 0.0, dawn) == dawn


def test_iso_is_utc_to_the_second():
    assert geo.iso(datetime(2019, 11, 12, 5, 6, 7, 900000, tzinfo=UTC)) == "2019-11-12T05:06:07Z"
