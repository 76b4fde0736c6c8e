"""Geodesic distance, night from the sun, and UTC time helpers (pure, cached)."""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from astral import Observer
from astral.sun import elevation
from pyproj import Geod

# Civil twilight: below -6° a pilot needs night-vision goggles and a lit pad.
NIGHT_SUN_ELEVATION_DEG = -6.0
_SUN_BUCKET_S = 300  # the sun moves ~1.25° in 5 min; finer buckets only cost cache misses
# PROJ's geodesic is Karney's GeographicLib algorithm in C: the same metres, ~60× faster.
_WGS84 = Geod(ellps="WGS84")


@lru_cache(maxsize=65536)
def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (WGS84 geodesic) distance in kilometres."""
    if lat1 == lat2 and lon1 == lon2:
        return 0.0
    return _WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


# The sun's elevation departs from a straight line between two hourly values by at most
# 90° × (15°/h in radians)² / 8 ≈ 0.8°: an hour whose ends are both beyond this margin from
# twilight is all day or all night, and only twilight hours need every 5-minute bucket.
_HOUR_S = 3600
_CURVE_MARGIN_DEG = 1.0


@lru_cache(maxsize=65536)
def _elevation_at(lat: float, lon: float, seconds: int) -> float:
    return elevation(Observer(lat, lon), datetime.fromtimestamp(seconds, tz=UTC))


@lru_cache(maxsize=65536)
def _night_hour(lat: float, lon: float, hour: int) -> bool | None:
    """True/False when the whole hour is night/day at the place; None when twilight crosses it."""
    ends = (_elevation_at(lat, lon, hour * _HOUR_S), _elevation_at(lat, lon, (hour + 1) * _HOUR_S))
    if max(ends) < NIGHT_SUN_ELEVATION_DEG - _CURVE_MARGIN_DEG:
        return True
    if min(ends) > NIGHT_SUN_ELEVATION_DEG + _CURVE_MARGIN_DEG:
        return False
    return None


@lru_cache(maxsize=262144)
def _is_night_bucket(lat: float, lon: float, bucket: int) -> bool:
    whole_hour = _night_hour(lat, lon, bucket * _SUN_BUCKET_S // _HOUR_S)
    if whole_hour is not None:
        return whole_hour
    return _elevation_at(lat, lon, bucket * _SUN_BUCKET_S) < NIGHT_SUN_ELEVATION_DEG


def is_night(lat: float, lon: float, at: datetime) -> bool:
    """Whether the sun is below civil twilight at the place and moment (5-minute resolution)."""
    return _is_night_bucket(round(lat, 1), round(lon, 1), int(at.timestamp()) // _SUN_BUCKET_S)


def next_daylight(lat: float, lon: float, at: datetime, horizon_h: float = 18) -> datetime | None:
    """The first moment at or after `at` when it is day at the place (None: not within horizon)."""
    step = timedelta(seconds=_SUN_BUCKET_S)
    moment = at
    for _ in range(int(horizon_h * 3600 / _SUN_BUCKET_S)):
        if not is_night(lat, lon, moment):
            return moment
        moment = _bucket_start(moment) + step
    return None


def next_dusk(lat: float, lon: float, at: datetime, horizon_h: float = 30) -> datetime:
    """The first moment at or after `at` when it is night at the place."""
    step = timedelta(seconds=_SUN_BUCKET_S)
    moment = at
    for _ in range(int(horizon_h * 3600 / _SUN_BUCKET_S)):
        if is_night(lat, lon, moment):
            return moment
        moment = _bucket_start(moment) + step
    return moment


def _bucket_start(at: datetime) -> datetime:
    seconds = int(at.timestamp()) // _SUN_BUCKET_S * _SUN_BUCKET_S
    return datetime.fromtimestamp(seconds, tz=UTC)


def iso(at: datetime) -> str:
    """ISO 8601 UTC with a `Z`, to the second (the trace and result format)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
