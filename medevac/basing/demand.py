"""Demand points: where urgent casualties happen, weighted by precedence, split by day and night.

From a scenario's casualties (explicit, scripted), its arrival hotspots, or a mission's history of
evacuation requests (rows already read from the database). Nearby casualties are merged into one
point (leader clustering) so the optimiser sees tens of points, not hundreds of casualties.
"""

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from medevac.dispatch.scenario import Casualty, Location, Scenario
from medevac.dispatch.simulator import scenario_casualties
from medevac.geo import distance_km, is_night

Period = Literal["day", "night"]
PERIODS: tuple[Period, ...] = ("day", "night")
CLUSTER_KM = 25.0


class DemandPoint(BaseModel):
    """Expected casualties at one place; `weights[period][precedence]` counts them."""

    id: str
    location: Location
    weights: dict[Period, dict[str, float]] = Field(
        default_factory=lambda: {"day": {}, "night": {}})

    def urgent(self, period: Period) -> float:
        return self.weights[period].get("A", 0.0) + self.weights[period].get("B", 0.0)

    def surgical(self, period: Period) -> float:
        return self.weights[period].get("B", 0.0)


class Incident(BaseModel):
    """One observed casualty: where, when injured, precedence (the unit the history gives us)."""

    location: Location
    injured_at: datetime
    precedence: str
    weight: float = 1.0


def _period(location: Location, at: datetime) -> Period:
    return "night" if is_night(location.lat, location.lon, at) else "day"


def cluster(incidents: list[Incident], radius_km: float = CLUSTER_KM) -> list[DemandPoint]:
    """Merge incidents into points: each joins the first point within `radius_km`, else opens one."""
    points: list[tuple[DemandPoint, float, float, float]] = []  # point, Σw·lat, Σw·lon, Σw
    for inc in sorted(incidents, key=lambda i: (i.location.lat, i.location.lon, i.injured_at)):
        home = next((n for n, (p, *_rest) in enumerate(points) if distance_km(
            p.location.lat, p.location.lon, inc.location.lat, inc.location.lon) <= radius_km), None)
        if home is None:
            points.append((DemandPoint(id=f"d{len(points) + 1}", location=inc.location), 0.0, 0.0, 0.0))
            home = len(points) - 1
        point, slat, slon, sw = points[home]
        bucket = point.weights[_period(inc.location, inc.injured_at)]
        bucket[inc.precedence] = bucket.get(inc.precedence, 0.0) + inc.weight
        # The point stays where the first incident put it; the centroid is kept for display only.
        points[home] = (point, slat + inc.location.lat * inc.weight, slon + inc.location.lon * inc.weight,
                        sw + inc.weight)
    out = []
    for point, slat, slon, sw in points:
        centre = Location(lat=round(slat / sw, 4), lon=round(slon / sw, 4)) if sw else point.location
        out.append(point.model_copy(update={"location": centre}))
    return out


def from_casualties(casualties: list[Casualty]) -> list[Incident]:
    return [Incident(location=c.location, injured_at=c.injured_at, precedence=c.precedence) for c in casualties]


def from_hotspots(scenario: Scenario) -> list[Incident]:
    """Expected casualties of the arrival generator: rate × hours × hotspot share × precedence mix.

    Each hour of the scenario contributes at its own day/night state (thinned at night)."""
    arrivals = scenario.arrivals
    if arrivals is None:
        return []
    total_w = sum(h.weight for h in arrivals.hotspots)
    mix_total = sum(arrivals.precedence_mix.values()) or 1.0
    out = []
    for hour in range(int(scenario.duration_hours)):
        at = scenario.start + timedelta(hours=hour, minutes=30)
        for spot in arrivals.hotspots:
            place = Location(lat=spot.lat, lon=spot.lon)
            rate = arrivals.rate_per_hour * spot.weight / total_w
            if is_night(spot.lat, spot.lon, at):
                rate *= arrivals.night_factor
            for precedence, share in arrivals.precedence_mix.items():
                if share > 0:
                    out.append(Incident(location=place, injured_at=at, precedence=precedence,
                                        weight=rate * share / mix_total))
    return out


def scenario_incidents(scenario: Scenario) -> list[Incident]:
    """Every casualty the scenario names (explicit and scripted) plus its hotspots' expectation."""
    named = scenario_casualties(scenario.model_copy(update={"arrivals": None}), 0)
    return from_casualties(named) + from_hotspots(scenario)


def scenario_demand(scenario: Scenario, radius_km: float = CLUSTER_KM) -> list[DemandPoint]:
    return cluster(scenario_incidents(scenario), radius_km)
