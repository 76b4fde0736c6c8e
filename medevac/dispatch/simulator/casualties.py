"""The casualties of one run: the scenario's explicit list, its scripted mass-casualty events
and its seeded arrival generator, in order of their calls. Same seed, same casualties."""

import math
import random
from datetime import datetime, timedelta

from medevac.dispatch.scenario import Arrivals, Casualty, Hotspot, Location, Scenario, ScriptedEvent
from medevac.geo import is_night

_KM_PER_DEG = 111.32


def casualties(scenario: Scenario, seed: int = 0) -> list[Casualty]:
    rng = random.Random(seed)
    found = list(scenario.casualties)
    for n, event in enumerate(scenario.scripted_events):
        found += _scripted(event, f"ev{n + 1}")
    if scenario.arrivals is not None:
        found += _generated(scenario, scenario.arrivals, rng)
    return sorted(found, key=lambda c: (c.reported_at, c.id))


def _scripted(event: ScriptedEvent, prefix: str) -> list[Casualty]:
    out = []
    reported = event.at + _whole_minutes(event.report_delay_min)
    for precedence, count in sorted(event.casualties.items()):
        if precedence == "dead":
            continue
        for i in range(count):
            out.append(Casualty(
                id=f"{prefix}-{precedence}{i + 1}", injured_at=event.at, reported_at=reported,
                location=event.location, precedence=precedence,
                patient_type="litter" if precedence in "ABC" else "ambulatory",
                security=event.security, incident=prefix,
            ))
    return out


def _generated(scenario: Scenario, arrivals: Arrivals, rng: random.Random) -> list[Casualty]:
    """Hour by hour: a Poisson number of single casualties (thinned at night) and maybe a burst."""
    out: list[Casualty] = []
    for hour in range(math.ceil(scenario.duration_hours)):
        start = scenario.start + timedelta(hours=hour)
        for _ in range(_poisson(rng, arrivals.rate_per_hour)):
            spot = _pick_hotspot(rng, arrivals.hotspots)
            injured = start + _whole_minutes(rng.uniform(0, 60))
            if is_night(spot.lat, spot.lon, injured) and rng.random() > arrivals.night_factor:
                continue
            precedence = _draw(rng, arrivals.precedence_mix)
            out.append(_casualty(rng, arrivals, f"gen-{len(out) + 1:04d}", spot, injured, precedence, None))
        burst = arrivals.mass_casualty
        if burst and rng.random() < burst.probability_per_hour:
            spot = _pick_hotspot(rng, arrivals.hotspots)
            injured = start + _whole_minutes(rng.uniform(0, 60))
            point = _near(rng, spot)
            incident = f"mascal-{hour}"
            for _ in range(rng.randint(burst.size_min, max(burst.size_min, burst.size_max))):
                precedence = _draw(rng, burst.precedence_mix)
                casualty = _casualty(rng, arrivals, f"gen-{len(out) + 1:04d}", spot, injured, precedence, incident)
                delay = _whole_minutes(rng.uniform(0, burst.spread_min))
                out.append(casualty.model_copy(update={
                    "location": point, "security": burst.security,
                    "reported_at": casualty.reported_at + delay,
                }))
    return [c for c in out if c.reported_at < scenario.end]


def _whole_minutes(minutes: float) -> timedelta:
    """Generated times fall on whole minutes, like a radio log (and the trace's seconds)."""
    return timedelta(minutes=round(minutes))


def _casualty(rng, arrivals: Arrivals, cid: str, spot: Hotspot, injured: datetime, precedence, incident) -> Casualty:
    delay = rng.uniform(arrivals.report_delay_min.min, max(arrivals.report_delay_min.min, arrivals.report_delay_min.max))
    litter = precedence in "AB" or rng.random() < arrivals.litter_share
    return Casualty(
        id=cid, injured_at=injured, reported_at=injured + _whole_minutes(delay),
        location=_near(rng, spot), precedence=precedence,
        patient_type="litter" if litter else "ambulatory",
        security=_draw(rng, arrivals.security_mix), incident=incident,
    )


def _near(rng: random.Random, spot: Hotspot) -> Location:
    """A uniform point in the hotspot's disc (flat-earth offsets are fine at < 100 km)."""
    r = spot.radius_km * math.sqrt(rng.random())
    theta = rng.uniform(0, 2 * math.pi)
    lat = spot.lat + r * math.cos(theta) / _KM_PER_DEG
    lon = spot.lon + r * math.sin(theta) / (_KM_PER_DEG * max(0.1, math.cos(math.radians(spot.lat))))
    return Location(lat=round(lat, 4), lon=round(lon, 4))


def _pick_hotspot(rng: random.Random, hotspots: list[Hotspot]) -> Hotspot:
    return rng.choices(hotspots, weights=[h.weight for h in hotspots])[0]


def _draw(rng: random.Random, mix: dict) -> str:
    keys = sorted(mix)
    return rng.choices(keys, weights=[mix[k] for k in keys])[0]


def _poisson(rng: random.Random, rate: float) -> int:
    # Knuth's method: rates here are a few per hour at most.
    limit, k, p = math.exp(-rate), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
