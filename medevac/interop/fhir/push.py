"""Pre-alerts to the receiving facility's FHIR server: on tasking and at each lifecycle step (the
hospital sees the new status and ETA), in the background, with retries.

The hub hands every replica the `evacuation.*` events after their transactions committed, so
tasking never waits on a hospital's server. One replica claims each version of the evacuation
(a row per evacuation; a newer version takes over from an older one still retrying); the Bundle is
a transaction of PUTs with stable ids, so a retry after a lost answer updates what the first try
wrote. The outcome is a row (GET /v1/fhir-pushes), an event on the
mission's stream (`fhir_push.delivered` / `fhir_push.failed`) and a metric.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone

import aiohttp
import structlog
from aiohttp import web

from medevac import audit
from medevac.events import record_change
from medevac.interop import store
from medevac.interop.fhir import export
from medevac.interop.fhir.bundle import evacuation_bundle
from medevac.interop.metrics import interop_metrics_key
from medevac.interop.tasks import stop
from medevac.keys import pool_key, settings_key
from medevac.hub import hub_key
from medevac.hub import batches

log = structlog.get_logger(__name__)
FHIR_JSON = "application/fhir+json"


class Delivery(Exception):
    """One attempt failed: what a medical officer reads on the board."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Claim:
    """One delivery this replica owns: a version of the evacuation, to its facility's endpoint."""

    evacuation_id: uuid.UUID
    version: int
    mission_id: uuid.UUID
    url: str
    document: dict


class Pusher:
    def __init__(self, app: web.Application, session: aiohttp.ClientSession) -> None:
        self.app, self.session = app, session
        self.settings = app[settings_key]
        self.metrics = app[interop_metrics_key]
        self.running: set[asyncio.Task] = set()

    async def follow(self) -> None:
        async for batch in batches(self.app[hub_key], None):
            for event in batch:
                if event.entity == "evacuation" and event.type.startswith("evacuation."):
                    task = asyncio.create_task(self.deliver(uuid.UUID(event.entity_id)))
                    self.running.add(task)
                    task.add_done_callback(self.running.discard)

    async def deliver(self, evacuation_id: uuid.UUID) -> None:
        try:
            claim = await self._claim(evacuation_id)
            if claim is not None:
                await self._send(claim)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 — a pre-alert must never take the service down
            log.exception("fhir_push.crashed", evacuation=str(evacuation_id))

    async def _claim(self, evacuation_id: uuid.UUID) -> Claim | None:
        """The delivery of the evacuation as it is now, if its facility has an endpoint and no replica
        has claimed this version yet."""
        async with self.app[pool_key].acquire() as conn:
            if not await store.endpoint_of_evacuation(conn, evacuation_id):  # most facilities have none: cheap
                return None
            found = await export.sources(conn, evacuation_id, details=True)
            url = await store.endpoint(conn, found.facility.id)
            e = found.evacuation
            if not url or not await store.claim_push(conn, evacuation_id, e.mission_id, found.facility.id, url,
                                                     e.version):
                return None
        document = evacuation_bundle(found, kind="transaction", now=datetime.now(timezone.utc))
        return Claim(evacuation_id, e.version, e.mission_id, url, document)

    async def _send(self, claim: Claim) -> None:
        attempts = self.settings.fhir_push_attempts
        for attempt in range(1, attempts + 1):
            try:
                await self._post(claim.url, claim.document)
            except Delivery as failed:
                self.metrics.fhir_push_attempts.labels("failed").inc()
                last = attempt == attempts
                if not await self._record(claim, "failed" if last else "pending", failed):
                    return  # a newer version of the evacuation is being delivered
                if last:
                    log.warning("fhir_push.failed", evacuation=str(claim.evacuation_id), attempts=attempts,
                                error=str(failed))
                    return
                await asyncio.sleep(self.settings.fhir_push_backoff_s * 2 ** (attempt - 1))
                continue
            self.metrics.fhir_push_attempts.labels("delivered").inc()
            await self._record(claim, "delivered", None)
            return

    async def _post(self, url: str, document: dict) -> None:
        timeout = aiohttp.ClientTimeout(total=self.settings.fhir_push_timeout_s)
        try:
            async with self.session.post(url, json=document, timeout=timeout,
                                         headers={"Content-Type": FHIR_JSON, "Accept": FHIR_JSON}) as response:
                if response.status >= 300:
                    raise Delivery(f"the facility's FHIR server answered {response.status} {response.reason}",
                                   response.status)
        except asyncio.TimeoutError:
            raise Delivery(f"the facility's FHIR server did not answer within {timeout.total:g} s") from None
        except (aiohttp.ClientConnectorError, OSError):
            raise Delivery("the facility's FHIR server could not be reached (down, or the address is wrong)") from None
        except aiohttp.ClientError as exc:
            raise Delivery(f"the connection to the facility's FHIR server failed ({type(exc).__name__})") from None

    async def _record(self, claim: Claim, status: str, error: Delivery | None) -> bool:
        """Keep the attempt's outcome; False if a newer version took the delivery over."""
        async with self.app[pool_key].acquire() as conn, conn.transaction():
            current = await store.record_attempt(conn, claim.evacuation_id, claim.version, status=status,
                                                 http_status=error and error.status, error=str(error) if error else None)
            if not current or status == "pending":
                return current
            self.metrics.fhir_pushes.labels(str(claim.mission_id), status).inc()
            await record_change(conn, None, event=f"fhir_push.{status}", entity="fhir_push",
                                entity_id=claim.evacuation_id, mission_id=claim.mission_id,
                                after={"evacuation_id": str(claim.evacuation_id), "version": claim.version,
                                       "status": status, "error": str(error) if error else None})
            if status == "delivered":  # patient details left the service: say where to
                await audit.record(conn, None, action="patient_details.disclosed", entity="evacuation",
                                   entity_id=claim.evacuation_id, mission_id=claim.mission_id,
                                   after={"purpose": "fhir pre-alert", "to": claim.url, "version": claim.version})
            return True


async def push_ctx(app: web.Application) -> AsyncIterator[None]:
    """Deliver pre-alerts while the app runs; on shutdown stop following and cancel deliveries."""
    async with aiohttp.ClientSession() as session:
        pusher = Pusher(app, session)
        follower = asyncio.create_task(pusher.follow())
        yield
        await stop([follower, *pusher.running])
