"""Dispatch metrics for HQ: time to each stage, the planner and auto-approval.

The waiting queue and the fleet are mission state, read from the database by
`medevac.monitoring` (`medevac_open_request_oldest_age_seconds`, `medevac_fleet_assets`).

Declared on the app's own registry (tests never collide). Labels stay low-cardinality:
mission, precedence, asset kind, status; never a request or casualty id.
"""

import uuid

from aiohttp import web
from prometheus_client import Counter, Histogram

from medevac.metrics import STANDARD_BUCKETS

PLANNER_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30)
STAGE_LABELS = ["mission", "precedence", "asset_kind"]


class DispatchMetrics:
    def __init__(self, registry) -> None:
        def stage(name: str, what: str) -> Histogram:
            return Histogram(f"medevac_evacuation_{name}_seconds", what, STAGE_LABELS,
                             buckets=STANDARD_BUCKETS, registry=registry)

        self.stages = {
            "tasked": stage("call_to_tasked", "From the 9-line call to an asset tasked"),
            "airborne": stage("call_to_airborne", "From the 9-line call to the asset airborne"),
            "pickup": stage("call_to_pickup", "From the 9-line call to the asset at the pickup site"),
            "handover": stage("call_to_handover", "From the 9-line call to handover at the facility"),
        }
        self.injury_to_care = stage("injury_to_care", "From injury to handover at the receiving facility")
        self.planner_latency = Histogram(
            "medevac_planner_duration_seconds", "Wall time of one mission re-plan (snapshot, solve, store)",
            ["mission", "policy"], buckets=PLANNER_BUCKETS, registry=registry)
        self.planner_fallbacks = Counter(
            "medevac_planner_fallbacks_total", "Plans that came from the fallback policy", ["mission"],
            registry=registry)
        self.plans = Counter("medevac_plans_total", "Plans stored", ["mission", "trigger"], registry=registry)
        self.auto_tasked = Counter("medevac_evacuations_auto_tasked_total",
                                   "Evacuations tasked by mission auto-approval", ["mission", "precedence"],
                                   registry=registry)

    def observe_stage(self, stage: str, mission_id: uuid.UUID, precedence: str, asset_kind: str,
                      seconds: float | None) -> None:
        if seconds is not None:
            self.stages[stage].labels(str(mission_id), precedence, asset_kind).observe(max(0.0, seconds))

    def observe_care(self, mission_id: uuid.UUID, precedence: str, asset_kind: str, seconds: float | None) -> None:
        if seconds is not None:
            self.injury_to_care.labels(str(mission_id), precedence, asset_kind).observe(max(0.0, seconds))


dispatch_metrics_key: web.AppKey[DispatchMetrics] = web.AppKey("dispatch_metrics", DispatchMetrics)
