"""Token-bucket rate limits per user (and per address for failed sign-ins), in memory per replica.

Behind N replicas a user gets at most N times the limit: enough to stop a runaway client
or a stuck radio retry loop, which is what these limits are for.
"""

import math
import time
from dataclasses import dataclass, field

from medevac.errors import Problem

MAX_KEYS = 50_000  # forget the idlest buckets past this: memory stays bounded under a flood


@dataclass
class Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    per_minute: int
    burst: int
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def retry_after(self, key: str, now: float | None = None) -> float:
        """Take one token for key; 0 when allowed, else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) >= MAX_KEYS:
                self._evict()
            bucket = self.buckets[key] = Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / rate

    def check(self, key: str, what: str) -> None:
        wait = self.retry_after(key)
        if wait > 0:
            raise Problem(429, "Too many requests", f"{what}: retry in {math.ceil(wait)} s",
                          headers={"Retry-After": str(math.ceil(wait))})

    def _evict(self) -> None:
        for key, _ in sorted(self.buckets.items(), key=lambda kv: kv[1].updated)[: MAX_KEYS // 10]:
            del self.buckets[key]


@dataclass
class Limits:
    """The service's limiters: every authenticated call, creations, and failed sign-ins."""

    calls: RateLimiter
    creates: RateLimiter
    failed_auth: RateLimiter


def limits_from(settings) -> Limits:
    def limiter(per_minute: int) -> RateLimiter:
        return RateLimiter(per_minute, burst=max(5, per_minute // 6))  # ten seconds' worth at once

    return Limits(limiter(settings.rate_calls_per_minute), limiter(settings.rate_creates_per_minute),
                  limiter(settings.rate_failed_auth_per_minute))
