"""Riding along: a call from a landing zone where a tasked aircraft has yet to land.

A crew on its way to a landing zone loads whoever waits there when it lands, as far as its room,
its facility and line 6 allow: the dispatcher radios the extra patients to the crew instead of
sending a second aircraft after them (measured on the escort benchmark: the second sortie for the
casualties of a follow-up call reached care 50-90 min later). Every policy does this before it
plans, as a seasoned dispatcher would; the rest of the snapshot is planned as usual.
"""

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.context import urgency
from medevac.dispatch.engine.model import Join, Landing, Patient, Snapshot
from medevac.geo import distance_km

SAME_ZONE_KM = 0.5  # a casualty boards within this of where it lies (the trace checker's rule)


def ride_along(snapshot: Snapshot) -> tuple[list[Join], Snapshot]:
    """The joins, and the snapshot left for the policy (joined patients out, their beds taken)."""
    if not snapshot.underway or not snapshot.patients:
        return [], snapshot
    assets = {a.id: a for a in snapshot.assets}
    facilities = {f.id: f for f in snapshot.facilities}
    beds = {f.id: f.beds_left for f in snapshot.facilities}
    joined: dict[tuple[str, int], list[Patient]] = {}
    for sortie in snapshot.underway:
        asset, facility = assets.get(sortie.asset_id), facilities.get(sortie.facility_id)
        if asset is None or facility is None:
            continue
        litter, walking = sortie.onboard_litter, sortie.onboard_ambulatory
        for index, landing in enumerate(sortie.landings):
            for patient in sorted(_waiting_at(snapshot, landing, joined), key=urgency):
                lies = patient.patient_type == "litter"
                if (beds[facility.id] > 0 and rules.fits_aboard(asset, litter + lies, walking + (not lies))
                        and rules.asset_rejects(asset, patient, escort=landing.covered) is None
                        and rules.facility_rejects(facility, patient) is None):
                    joined.setdefault((sortie.asset_id, index), []).append(patient)
                    beds[facility.id] -= 1
                    litter, walking = litter + lies, walking + (not lies)
    if not joined:
        return [], snapshot
    by_asset = {s.asset_id: s for s in snapshot.underway}
    joins = [
        Join(asset_id=aid, patient_ids=[p.id for p in patients], pickup=by_asset[aid].landings[index].location,
             at_pickup=by_asset[aid].landings[index].at, facility_id=by_asset[aid].facility_id,
             handover_at=by_asset[aid].handover_at)
        for (aid, index), patients in joined.items()
    ]
    gone = {p.id for patients in joined.values() for p in patients}
    rest = snapshot.model_copy(update={
        "patients": [p for p in snapshot.patients if p.id not in gone],
        "facilities": [f.model_copy(update={"free_beds": beds[f.id]}) for f in snapshot.facilities],
    })
    return joins, rest


def _waiting_at(snapshot: Snapshot, landing: Landing, joined: dict) -> list[Patient]:
    """Patients lying at the landing zone whose call is in before the aircraft lands there."""
    taken = {p.id for patients in joined.values() for p in patients}
    return [p for p in snapshot.patients
            if p.id not in taken and p.reported_at <= landing.at
            and distance_km(p.location.lat, p.location.lon, landing.location.lat, landing.location.lon) <= SAME_ZONE_KM]

