"""Interop metrics on the app's registry: pre-alert deliveries and CoT traffic. Labels are bounded."""

from aiohttp import web
from prometheus_client import Counter, Gauge


class InteropMetrics:
    def __init__(self, registry) -> None:
        self.fhir_pushes = Counter("medevac_fhir_pushes_total",
                                   "Pre-alert Bundles to facilities' FHIR endpoints, by final outcome",
                                   ["mission", "outcome"], registry=registry)
        self.fhir_push_attempts = Counter("medevac_fhir_push_attempts_total",
                                          "Delivery attempts of pre-alert Bundles, by result", ["outcome"],
                                          registry=registry)
        self.cot_received = Counter("medevac_cot_events_received_total",
                                    "CoT events from TAK peers, by what became of them", ["outcome"],
                                    registry=registry)
        self.cot_sent = Counter("medevac_cot_events_sent_total", "CoT events sent to TAK peers, by kind",
                                ["kind"], registry=registry)
        self.cot_connections = Gauge("medevac_cot_connections", "Open CoT connections on this replica",
                                     registry=registry)


interop_metrics_key: web.AppKey[InteropMetrics] = web.AppKey("interop_metrics", InteropMetrics)
