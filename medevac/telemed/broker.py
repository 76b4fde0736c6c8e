"""The broker: offer a consult down the matcher's ranking, then to everyone, and record each step.

Every function runs inside the caller's transaction with the consult row locked, so two
replicas (an accept racing the sweeper) see one consistent order of events.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from aiohttp import web

from medevac.auth import Principal
from medevac.config import Settings
from medevac.errors import conflict, forbidden
from medevac.events import record_change
from medevac.telemed import consults, policy, specialists
from medevac.telemed.lifecycle import STAMPS, next_status
from medevac.telemed.matcher import Need, Ranking, rank
from medevac.telemed.metrics import TelemedMetrics, elapsed_s
from medevac.telemed.model import Consult, Specialist


@dataclass
class Broker:
    settings: Settings
    metrics: TelemedMetrics

    def labels(self, consult: Consult) -> tuple[str, str]:
        return consult.urgency, consult.specialty

    async def transition(self, conn: asyncpg.Connection, consult: Consult, action: str, now: datetime,
                    principal: Principal | None, event: str, extra: dict | None = None, **changes) -> Consult:
        """Apply one transition of the state machine, with its timestamp, audit row and event."""
        status = next_status(consult.status, action)
        if status in STAMPS and status != consult.status:
            changes.setdefault(STAMPS[status], now)
        updated = await consults.update(conn, consult.id, status=status, **changes)
        await record_change(conn, principal, event=event, entity="consult", entity_id=consult.id,
                            mission_id=consult.mission_id, before=consult.public(),
                            after=updated.public() | (extra or {}))
        return updated

    async def ranking(self, conn: asyncpg.Connection, consult: Consult, now: datetime,
                      declined: frozenset[uuid.UUID]) -> Ranking:
        found = await specialists.candidates(conn, consult.mission_id, consult.specialty, now)
        return rank(Need(consult.mission_id, consult.specialty, consult.language), found, now, declined)

    async def dispatch(self, conn: asyncpg.Connection, consult: Consult, now: datetime,
                       principal: Principal | None = None) -> Consult:
        """Offer to the best eligible specialist not yet asked; everyone once the list is spent."""
        offers = await consults.offers(conn, consult.id)
        asked = {o.specialist_id for o in offers}
        declined = frozenset(o.specialist_id for o in offers if o.status == "declined")
        ranking = await self.ranking(conn, consult, now, declined)
        fresh = [r.specialist_id for r in ranking.eligible if r.specialist_id not in asked]
        if fresh:
            return await self._offer(conn, consult, fresh[0], ranking, now, principal)
        if ranking.eligible:
            return await self._broadcast(conn, consult, ranking, now, principal)
        if consult.status == "unmatched" and consult.ranking:  # still nobody: no new event
            fresh_ranking = ranking.as_json()
            if fresh_ranking == consult.ranking:
                return consult
            return await consults.update(conn, consult.id, ranking=fresh_ranking)
        self.metrics.unmatched.labels(*self.labels(consult)).inc()
        return await self.transition(conn, consult, "unmatch", now, principal, "consult.unmatched",
                                ranking=ranking.as_json())

    async def _offer(self, conn, consult: Consult, specialist_id: uuid.UUID, ranking: Ranking,
                     now: datetime, principal: Principal | None) -> Consult:
        rules = await policy.get(conn, consult.mission_id, self.settings)
        expires = now + timedelta(seconds=getattr(rules.offer_timeouts, consult.urgency))
        await consults.add_offer(conn, consult.id, specialist_id, "single", now, expires)
        first = {}
        if consult.first_offer_at is None:
            first["first_offer_at"] = now
            self.metrics.time_to_first_offer.labels(*self.labels(consult)).observe(
                elapsed_s(consult.created_at, now))
        return await self.transition(conn, consult, "offer", now, principal, "consult.offered",
                                {"offered_to": [str(specialist_id)], "expires_at": expires.isoformat()},
                                ranking=ranking.as_json(), **first)

    async def _broadcast(self, conn, consult: Consult, ranking: Ranking, now: datetime,
                         principal: Principal | None) -> Consult:
        everyone = [r.specialist_id for r in ranking.eligible]
        for specialist_id in everyone:
            await consults.add_offer(conn, consult.id, specialist_id, "broadcast", now, None)
        self.metrics.escalations.labels(*self.labels(consult)).inc()
        first = {"first_offer_at": now} if consult.first_offer_at is None else {}
        return await self.transition(conn, consult, "broadcast", now, principal, "consult.broadcast",
                                {"offered_to": [str(s) for s in everyone]}, ranking=ranking.as_json(), **first)

    async def accept(self, conn: asyncpg.Connection, consult: Consult, specialist: Specialist,
                     now: datetime, principal: Principal) -> Consult:
        next_status(consult.status, "accept")
        await specialists.get(conn, specialist.id, for_update=True)  # serialise this specialist's accepts
        current = await specialists.get(conn, specialist.id)
        if current.load >= current.load_limit:
            raise conflict(f"at load limit ({current.load}/{current.load_limit}); close a consult first")
        taken = await consults.answer_offers(conn, consult.id, "accepted", now, specialist_id=specialist.id)
        if not taken:
            raise forbidden("this consult is not offered to you (the offer may have expired)")
        await consults.answer_offers(conn, consult.id, "withdrawn", now)
        self.metrics.time_to_accept.labels(*self.labels(consult)).observe(elapsed_s(consult.created_at, now))
        return await self.transition(conn, consult, "accept", now, principal, "consult.accepted",
                                specialist_id=specialist.id)

    async def decline(self, conn: asyncpg.Connection, consult: Consult, specialist: Specialist, now: datetime,
                      reason: str | None, principal: Principal) -> Consult:
        next_status(consult.status, "decline")
        closed = await consults.answer_offers(conn, consult.id, "declined", now,
                                              specialist_id=specialist.id, reason=reason)
        if not closed:
            raise forbidden("this consult is not offered to you (the offer may have expired)")
        await record_change(conn, principal, event="consult.declined", entity="consult", entity_id=consult.id,
                            mission_id=consult.mission_id, after=consult.public() | {
                                "declined_by": str(specialist.id)})
        if consult.status == "offered":
            return await self.dispatch(conn, consult, now, principal)
        return consult  # a broadcast stays open for the others

    async def expire(self, conn: asyncpg.Connection, consult: Consult, now: datetime) -> Consult:
        """The sweeper's step: the overdue offer lapses and the broker moves on."""
        lapsed = await consults.answer_offers(conn, consult.id, "expired", now, due_by=now)
        for offer in lapsed:
            self.metrics.offers_expired.labels(*self.labels(consult)).inc()
            await record_change(conn, None, event="consult.offer_expired", entity="consult",
                                entity_id=consult.id, mission_id=consult.mission_id,
                                after=consult.public() | {"expired_for": str(offer.specialist_id)})
        if consult.status == "offered":
            return await self.dispatch(conn, consult, now)
        return consult


broker_key: web.AppKey[Broker] = web.AppKey("telemed_broker", Broker)
