"""Pre-alerts to the receiving facility's FHIR server: on tasking, in the background, with retries.

The hub hands every replica the `evacuation.tasked` event after its transaction committed, so
tasking never waits on a hospital's server. One replica claims the delivery (a row per
evacuation); the Bundle is a transaction of PUTs with stable ids, so a retry after a lost answer
updates what the first try wrote. The outcome is a row (GET /v1/fhir-pushes), an event on the
mission's stream (`fhir_push.delivered` / `fhir_push.failed`) and a metric.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
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
from medevac.keys import hub_key, pool_key, settings_key
from medevac.live import batches

log = structlog.get_logger(__name__)
FHIR_JSON = "application/fhir+json"


class Delivery(Exception):
    """One attempt failed: what a medical officer reads on the board."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Pusher:
    def __init__(self, app: web.Application, session: aiohttp.ClientSession) -> None:
        self.app, self.session = app, session
        self.settings = app[settings_key]
        self.metrics = app[interop_metrics_key]
        self.running: set[asyncio.Task] = set()

    async def follow(self) -> None:
        async for batch in batches(self.app[hub_key], None):
            for event in batch:
                if event.type == "evacuation.tasked":
                    task = asyncio.create_task(self.deliver(uuid.UUID(event.entity_id)))
                    self.running.add(task)
                    task.add_done_callback(self.running.discard)

    async def deliver(self, evacuation_id: uuid.UUID) -> None:
        try:
            claimed = await self._claim(evacuation_id)
            if claimed is not None:
                await self._send(evacuation_id, *claimed)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 — a pre-alert must never take the service down
            log.exception("fhir_push.crashed", evacuation=str(evacuation_id))

    async def _claim(self, evacuation_id: uuid.UUID) -> tuple[str, dict, uuid.UUID] | None:
        """(url, bundle, mission) if this replica is to deliver this evacuation's pre-alert."""
        async with self.app[pool_key].acquire() as conn:
            found = await export.sources(conn, evacuation_id, details=True)
            url = found and await store.endpoint(conn, found.facility.id)
            if not url or not await store.claim_push(conn, evacuation_id, found.evacuation.mission_id,
                                                     found.facility.id, url):
                return None
        document = evacuation_bundle(found, kind="transaction", now=datetime.now(timezone.utc))
        return url, document, found.evacuation.mission_id

    async def _send(self, evacuation_id: uuid.UUID, url: str, document: dict, mission_id: uuid.UUID) -> None:
        attempts, error = self.settings.fhir_push_attempts, Delivery("not tried")
        for attempt in range(1, attempts + 1):
            try:
                await self._post(url, document)
            except Delivery as failed:
                error = failed
                self.metrics.fhir_push_attempts.labels("failed").inc()
                last = attempt == attempts
                await self._record(evacuation_id, mission_id, "failed" if last else "pending", failed, url)
                if not last:
                    await asyncio.sleep(self.settings.fhir_push_backoff_s * 2 ** (attempt - 1))
                continue
            self.metrics.fhir_push_attempts.labels("delivered").inc()
            await self._record(evacuation_id, mission_id, "delivered", None, url)
            return
        log.warning("fhir_push.failed", evacuation=str(evacuation_id), attempts=attempts, error=str(error))

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

    async def _record(self, evacuation_id: uuid.UUID, mission_id: uuid.UUID, status: str,
                      error: Delivery | None, url: str) -> None:
        async with self.app[pool_key].acquire() as conn, conn.transaction():
            await store.record_attempt(conn, evacuation_id, status=status, http_status=error and error.status,
                                       error=str(error) if error else None)
            if status == "pending":
                return
            self.metrics.fhir_pushes.labels(str(mission_id), status).inc()
            await record_change(conn, None, event=f"fhir_push.{status}", entity="fhir_push",
                                entity_id=evacuation_id, mission_id=mission_id,
                                after={"evacuation_id": str(evacuation_id), "status": status,
                                       "error": str(error) if error else None})
            if status == "delivered":  # patient details left the service: say where to
                await audit.record(conn, None, action="patient_details.disclosed", entity="evacuation",
                                   entity_id=evacuation_id, mission_id=mission_id,
                                   after={"purpose": "fhir pre-alert", "to": url})


async def push_ctx(app: web.Application) -> AsyncIterator[None]:
    """Deliver pre-alerts while the app runs; on shutdown stop following and cancel deliveries."""
    async with aiohttp.ClientSession() as session:
        pusher = Pusher(app, session)
        follower = asyncio.create_task(pusher.follow())
        yield
        await stop([follower, *pusher.running])
