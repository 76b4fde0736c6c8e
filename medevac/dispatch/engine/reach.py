"""Why no asset can serve a casualty at all, and the nearest way that would work.

A casualty is unreachable when the contention-free bound finds no handover for it: every asset,
launched at the best moment from any place a policy could have it, fails a hard rule. The reason
names the rule that stops the assets that come closest; the way out names a place: a refuelling
facility within range of both ends, or the airfield a ground move would have to reach.
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.model import Patient
from medevac.dispatch.scenario import Asset, Facility, Location
from medevac.geo import distance_km


def _km(a: Location, b: Location) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def explain(patient: Patient, assets: list[Asset], facilities: list[Facility]) -> tuple[str, str | None]:
    """(reason, nearest way that would work or None) for a casualty the bound cannot serve."""
    receivers = [f for f in facilities if not rules.facility_rejects(f, patient)]
    if not receivers:
        return "no facility has the care it needs", None
    escort = any(a.armed and a.kind == "helicopter" for a in assets)
    carriers = [a for a in assets if not rules.asset_rejects(a, patient, escort)]
    if not carriers:
        reasons = sorted({rules.asset_rejects(a, patient, escort) for a in assets} - {None})
        return "no asset may carry it: " + "; ".join(reasons), None
    site = patient.location
    flying = [a for a in carriers if a.kind == "helicopter"
              and any(not rules.landing_rejects(a, f) for f in receivers)]
    if not flying:
        fields = [f for f in facilities if rules.is_airfield(f)]
        nearest = min(fields, key=lambda f: _km(site, f.location), default=None)
        way = None if nearest is None else (
            f"move it to the airfield at {nearest.name} ({_km(site, nearest.location):.0f} km), "
            f"then fixed wing")
        return "only fixed wing reaches the care it needs, and there is no airfield at the pickup", way
    if patient.security == "X" and not any(a.armed for a in flying):
        return ("line 6 X: no armed aircraft can cover the landing zone (beyond every escort's range)",
                "secure the landing zone or move the casualty to where an escort reaches")
    receivers_of = {a.id: [f for f in receivers if not rules.landing_rejects(a, f)] for a in flying}
    best = min(flying, key=lambda a: _shortfall(a, site, receivers_of[a.id]))
    receivers = receivers_of[best.id]
    if _shortfall(best, site, receivers) > 0:
        return (f"beyond every helicopter's range (the longest-legged, {best.callsign}, needs "
                f"{_shortfall(best, site, receivers):.0f} km more)"), _refuel_way(best, site, receivers, facilities)
    return "no asset can fly there and back by the rules of night and landing", None


def _shortfall(asset: Asset, site: Location, receivers: list[Facility]) -> float:
    """Kilometres beyond the asset's range on its shortest base → pickup → facility (→ base)."""
    best = min(_km(asset.base, site) + _km(site, f.location) + (0 if f.refuel else _km(f.location, asset.base))
               for f in receivers)
    return max(0.0, best - asset.range_km)


def _refuel_way(asset: Asset, site: Location, receivers: list[Facility], facilities: list[Facility]) -> str | None:
    """A refuelling facility the asset reaches from its base and leaves with fuel for the rest."""
    options = []
    for stop in facilities:
        if not stop.refuel or rules.landing_rejects(asset, stop) or _km(asset.base, stop.location) > asset.range_km:
            continue
        rest = min(_km(stop.location, site) + _km(site, f.location) for f in receivers)
        options.append((rest, stop))
    options.sort(key=lambda o: o[0])
    if options and options[0][0] <= asset.range_km:
        return f"{asset.callsign} refuelling at {options[0][1].name}"
    if options:
        return (f"a forward refuelling point: from {options[0][1].name} {asset.callsign} still needs "
                f"{options[0][0] - asset.range_km:.0f} km more")
    return None
