"""Telemedicine metrics, declared in one place on the app's registry."""

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Seconds: inside the emergency target (5 min), the urgent one (30 min), up to a routine day.
CONSULT_BUCKETS = (15, 30, 60, 120, 300, 600, 1800, 3600, 14400, 86400)
LABELS = ("urgency", "specialty")


class TelemedMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        r = registry
        self.time_to_first_offer = Histogram(
            "medevac_consult_time_to_first_offer_seconds", "Consult request to its first offer",
            LABELS, buckets=CONSULT_BUCKETS, registry=r)
        self.time_to_accept = Histogram(
            "medevac_consult_time_to_accept_seconds", "Consult request to a specialist's acceptance",
            LABELS, buckets=CONSULT_BUCKETS, registry=r)
        self.time_to_first_specialist_message = Histogram(
            "medevac_consult_time_to_first_specialist_message_seconds",
            "Consult request to the specialist's first message", LABELS, buckets=CONSULT_BUCKETS, registry=r)
        self.escalations = Counter(
            "medevac_consult_escalations_total", "Consults broadcast to every eligible specialist",
            LABELS, registry=r)
        self.offers_expired = Counter(
            "medevac_consult_offers_expired_total", "Offers that timed out unanswered", LABELS, registry=r)
        self.unmatched = Counter(
            "medevac_consult_unmatched_total", "Consults that found nobody eligible", LABELS, registry=r)
        self.abandoned = Counter(
            "medevac_consults_abandoned_total", "Consults cancelled before any specialist accepted",
            LABELS, registry=r)
        self.sessions = Gauge(
            "medevac_consult_sessions", "Open consult and inbox websockets on this replica", registry=r)


def elapsed_s(since: datetime, until: datetime) -> float:
    return max(0.0, (until - since).total_seconds())
