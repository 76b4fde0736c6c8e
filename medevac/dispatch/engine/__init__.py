"""The dispatch engine: pure functions from a snapshot to a plan (no DB, no HTTP, no clock)."""

from medevac.dispatch.engine.model import (
    Alternative, AssetState, FacilityState, Patient, PatientOutcome, PickupStop, Plan, Recommendation, Snapshot,
    Sortie,
)
from medevac.dispatch.engine.policies import POLICIES, get_policy

__all__ = [
    "Alternative", "AssetState", "FacilityState", "Patient", "PatientOutcome", "PickupStop", "Plan", "POLICIES",
    "Recommendation", "Snapshot", "Sortie", "get_policy",
]
