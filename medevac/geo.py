"""Geodesic distance, night from the sun, and UTC time helpers (pure, cached)."""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from astral import Observer
from astral.sun import elevation
from geographiclib.geodesic import Geodesic

# Civil twilight: below -6° a pilot needs night-vision goggles and a lit pad.
NIGHT_SUN_ELEVATION_DEG = -6.0
_SUN_BUCKET_S = 300  # the sun moves ~1.25° in 5 min; finer buckets only cost cache misses
_WGS84 = Geodesic.WGS84


@lru_cache(maxsize=65536)
def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (WGS84 geodesic) distance in kilometres."""
    if lat1 == lat2 and lon1 == lon2:
        return 0.0
    return _WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"] / 1000.0


@lru_cache(maxsize=262144)
def _is_night_bucket(lat: float, lon: float, bucket: int) -> bool:
    moment = datetime.fromtimestamp(bucket * _SUN_BUCKET_S, tz=UTC)
    return elevation(Observer(lat, lon), moment) < NIGHT_SUN_ELEVATION_DEG


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


def minutes_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60.0


def add_seconds(at: datetime, seconds: float) -> datetime:
    return at + timedelta(seconds=seconds)
