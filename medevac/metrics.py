"""The app's Prometheus registry (one per app: tests never collide), the shell's own metrics (HTTP,
live streams, event delivery) and the shared time-standard buckets.

Each package declares its own families on this registry: `medevac.dispatch.metrics`,
`medevac.telemed.metrics`, `medevac.interop.metrics`, and the database-derived mission state in
`medevac.monitoring.metrics`. docs/operations.md catalogues them all (a test holds it to the
exported set).
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Bucket bounds that land exactly on the time standards: 10 min, 1 h, 2 h, 4 h, 24 h.
STANDARD_BUCKETS = (300, 600, 1800, 3600, 5400, 7200, 14400, 43200, 86400)
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_requests = Counter(
            "medevac_http_requests_total", "HTTP requests by route template and status",
            ["method", "route", "status"], registry=r,
        )
        self.http_latency = Histogram(
            "medevac_http_request_duration_seconds", "HTTP request latency by route template",
            ["method", "route"], buckets=HTTP_BUCKETS, registry=r,
        )
        self.sse_connections = Gauge(
            "medevac_sse_connections", "Open server-sent event streams", registry=r,
        )
        self.events_published = Counter(
            "medevac_events_delivered_total", "Events delivered by this replica's hub", registry=r,
        )

    def observe_http(self, method: str, route: str, status: int, seconds: float) -> None:
        self.http_requests.labels(method, route, str(status)).inc()
        self.http_latency.labels(method, route).observe(seconds)
