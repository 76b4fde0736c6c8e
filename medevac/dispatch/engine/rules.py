"""Hard rules that do not depend on time: who may carry whom, and who may receive whom."""

from medevac.dispatch.engine.model import AssetState, FacilityState, Patient
from medevac.dispatch.scenario import Asset, Facility, Location
from medevac.geo import distance_km

# Capability each precedence needs at the receiving facility (any one of the set).
PRECEDENCE_CAPABILITY: dict[str, tuple[str, ...]] = {
    "A": ("resuscitation",),
    "B": ("surgery", "damage_control_surgery"),
    "C": ("resuscitation",),
    "D": (),
    "E": (),
}
# A fixed-wing aircraft needs a runway: we take a refuelling facility, a Level III/IV hospital
# (city airports) or its own base as one, and a pickup within this distance of it.
AIRFIELD_RADIUS_KM = 5.0
FLYING_STATUSES = ("available", "tasked", "returning")


def asset_rejects(asset: Asset, patient: Patient, escort: bool = False) -> str | None:
    """Why the asset may not carry the patient (None: it may); `escort`: an armed escort may be
    paired with it (engine/escort.py), so an unarmed carrier may fly a Line 6 `X` pickup."""
    if patient.special_equipment == "B" and not asset.hoist:
        return "no hoist"
    if patient.special_equipment == "D" and asset.role != "medevac":
        return "no medical crew for a ventilator"
    if patient.security == "X" and not asset.armed and (not escort or asset.kind != "helicopter"):
        return "pickup needs an armed asset or an armed escort" if escort else "pickup needs an armed asset"
    if patient.patient_type == "litter" and asset.litters == 0:
        return "no litter space"
    if asset.litters + asset.seats == 0:
        return "no space"
    return None


def _has(facility: Facility, capability: str) -> bool:
    if capability == "surgery":
        return facility.operating_tables > 0 and (
            "surgery" in facility.capabilities or "damage_control_surgery" in facility.capabilities
        )
    return capability in facility.capabilities


def facility_rejects(facility: FacilityState, patient: Patient) -> str | None:
    """Why the facility may not receive the patient, capacity aside (None: it may)."""
    if facility.status != "open":
        return f"facility {facility.status}"
    needed = PRECEDENCE_CAPABILITY[patient.precedence]
    if needed and not any(_has(facility, c) for c in needed):
        return f"facility lacks {needed[0].replace('_', ' ')}"
    for need in patient.needs:
        if not _has(facility, need):
            return f"facility lacks {need.replace('_', ' ')}"
    return None


def is_airfield(facility: Facility) -> bool:
    return facility.refuel or facility.level >= 3


def landing_rejects(asset: Asset, facility: Facility) -> str | None:
    """Why the asset cannot land at the facility (None: it can)."""
    if asset.kind == "helicopter" and not facility.helipad:
        return "facility has no helipad"
    if asset.kind == "fixed_wing" and not is_airfield(facility):
        return "facility has no airfield"
    return None


def pickup_rejects(asset: Asset, site: Location, facilities: list[FacilityState]) -> str | None:
    """Why the asset cannot reach the pickup site at all (fixed wing needs an airfield there)."""
    if asset.kind != "fixed_wing":
        return None
    fields = [asset.base] + [f.location for f in facilities if is_airfield(f)]
    if any(distance_km(site.lat, site.lon, p.lat, p.lon) <= AIRFIELD_RADIUS_KM for p in fields):
        return None
    return "no airfield at the pickup"


def status_rejects(asset: AssetState) -> str | None:
    if asset.status not in FLYING_STATUSES:
        return asset.status.replace("_", " ")
    return None


def fits_aboard(asset: Asset, litter: int, ambulatory: int) -> bool:
    """Litter patients need litters; walking patients take seats or spare litters."""
    return litter <= asset.litters and litter + ambulatory <= asset.litters + asset.seats
