"""The database stops for 30 s under a stream of 9-line calls and approvals, then comes back.

While it is away every answer is a prompt 503 problem+json with Retry-After (never a hang or a
500), /readyz is 503 and /healthz 200. Afterwards the replica recovers by itself (pool, LISTEN,
SSE) and every call or approval that was answered 2xx is in the database exactly once: clients
retry a 503 with the same Idempotency-Key, as they are told to.
"""

import asyncio
import json
import time
from dataclasses import dataclass, field

import aiohttp
import asyncpg

from medevac.db import migrations
from medevac.db.pool import _init_connection
from tests import factories
from tests.conftest import SseReader, with_database
from tests.reliability import theatre
from tests.reliability.postgres import StoppablePostgres

OUTAGE_S = 30.0  # a realistic failover
# Answers each client gets while the database is away. A replica that held requests until it came
# back would give each at most one; one that answers at once (or when its bounded pool wait of a
# few seconds runs out) gives each several. The figures the docs quote are printed by `report`.
ANSWERED_WHILE_DOWN = 3
CALLERS = 2
CALL_EVERY_S = 0.3


@dataclass
class Answer:
    at: float
    status: int  # 0: no HTTP answer at all (connection refused or reset)
    seconds: float
    retry_after: str | None = None
    problem: bool = False


@dataclass
class Ledger:
    """What the clients saw: every attempt, and which logical calls were answered 2xx."""

    answers: list[Answer] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # call sign → request id
    approved: dict[str, str] = field(default_factory=dict)  # request id → evacuation id

    async def attempt(self, http: aiohttp.ClientSession, method: str, url: str, **kw) -> tuple[int, dict | None]:
        started = time.monotonic()
        try:
            async with http.request(method, url, **kw) as r:
                body = await r.json(content_type=None)
                self.answers.append(Answer(started, r.status, time.monotonic() - started,
                                           r.headers.get("Retry-After"),
                                           r.content_type == "application/problem+json"))
                return r.status, body
        except aiohttp.ClientConnectionError:
            self.answers.append(Answer(started, 0, time.monotonic() - started))
            return 0, None

    async def until_answered(self, http, method: str, url: str, **kw) -> dict:
        """Retry with the same request (and Idempotency-Key) until it gets its 2xx."""
        while True:
            status, body = await self.attempt(http, method, url, **kw)
            if 200 <= status < 300:
                return body
            assert status in (0, 503), (status, body)
            await asyncio.sleep(0.25)


async def prepare(dsn: str) -> tuple[theatre.Laydown, dict, dict]:
    conn = await asyncpg.connect(dsn)
    try:
        await _init_connection(conn)
        await migrations.migrate(conn)
        laydown = await theatre.seed(conn, helicopters=40)
        field_headers = await factories.token(conn, "field", laydown.mission_id, user="rto")
        dispatcher = await factories.token(conn, "dispatcher", laydown.mission_id, user="duty-officer")
        return laydown, field_headers, dispatcher
    finally:
        await conn.close()


async def caller(http, ledger: Ledger, headers: dict, first: int, stop: asyncio.Event, approvals: asyncio.Queue):
    n = first
    while not stop.is_set():
        sign = f"CALL{n:04d}"
        body = await ledger.until_answered(http, "POST", "/v1/evac-requests", data=theatre.radio_call(sign),
                                           headers=headers | {"Content-Type": "text/plain",
                                                              "Idempotency-Key": f"key-{sign}"})
        ledger.created[sign] = body["id"]
        approvals.put_nowait(body["id"])
        n += CALLERS
        await asyncio.sleep(CALL_EVERY_S)


async def approver(http, ledger: Ledger, headers: dict, laydown: theatre.Laydown, approvals: asyncio.Queue):
    for asset_id in laydown.helos:
        request_id = await approvals.get()
        if request_id is None:
            return
        body = await ledger.until_answered(
            http, "POST", f"/v1/evac-requests/{request_id}/approve",
            json={"asset_id": str(asset_id), "facility_id": str(laydown.level_ii), "accept_warnings": True},
            headers=headers | {"Idempotency-Key": f"approve-{request_id}"})
        ledger.approved[request_id] = body["id"]


async def probe(http, path: str, until: asyncio.Event) -> list[Answer]:
    seen = []
    while not until.is_set():
        started = time.monotonic()
        async with http.get(path) as r:
            seen.append(Answer(started, r.status, time.monotonic() - started, r.headers.get("Retry-After")))
        await asyncio.sleep(0.5)
    return seen


async def first_event_of(stream: SseReader, request_ids: set[str]) -> float:
    await stream.until(lambda e: e["type"] == "evac_request.created" and e["entity_id"] in request_ids,
                       timeout=60)
    return time.monotonic()


async def test_a_30_s_outage_answers_503_promptly_and_loses_or_doubles_nothing(replicas):
    server = await asyncio.to_thread(StoppablePostgres)
    admin = await asyncpg.connect(server.dsn)
    await admin.execute("CREATE DATABASE medevac")
    await admin.close()
    dsn = with_database(server.dsn, "medevac")
    laydown, field_headers, dispatcher = await prepare(dsn)
    replica = await replicas(dsn, MEDEVAC_RATE_CREATES_PER_MINUTE="100000", MEDEVAC_PLANNER_TIME_LIMIT_S="0.5")
    ledger, stop, approvals = Ledger(), asyncio.Event(), asyncio.Queue()

    async with aiohttp.ClientSession(replica.url) as http, aiohttp.ClientSession(replica.url) as sse_http:
        sse_response = await sse_http.get("/v1/events", headers=dispatcher)
        stream = SseReader(sse_response)
        workers = [asyncio.create_task(caller(http, ledger, field_headers, i, stop, approvals))
                   for i in range(CALLERS)]
        workers.append(asyncio.create_task(approver(http, ledger, dispatcher, laydown, approvals)))
        await asyncio.sleep(4)

        await server.stop()
        down_at, back = time.monotonic(), asyncio.Event()
        probes = [asyncio.create_task(probe(http, path, back)) for path in ("/readyz", "/healthz")]
        await asyncio.sleep(OUTAGE_S)
        await server.start()
        up_at = time.monotonic()
        back.set()
        readyz, healthz = [await p for p in probes]

        # Recovery: the first fresh call answered 2xx, and its event on the stream opened before the outage.
        fresh = await ledger.until_answered(http, "POST", "/v1/evac-requests", data=theatre.radio_call("FRESH"),
                                            headers=field_headers | {"Content-Type": "text/plain",
                                                                     "Idempotency-Key": "key-FRESH"})
        ledger.created["FRESH"] = fresh["id"]
        recovered_at = time.monotonic()
        streamed_at = await first_event_of(stream, {fresh["id"]})
        await asyncio.sleep(3)
        stop.set()
        async with asyncio.timeout(30):  # calls in flight finish; the approver takes what was queued
            await asyncio.gather(*workers[:CALLERS])
            approvals.put_nowait(None)
            await workers[-1]
        sse_response.close()

    during = [a for a in ledger.answers if down_at + 1 < a.at < up_at - 0.5]
    report(ledger, during, readyz, healthz, up_at, recovered_at, streamed_at, down_at)
    assert during, "the stream of calls kept going through the outage"
    assert all(a.status == 503 and a.problem and a.retry_after for a in during), \
        {(a.status, a.problem, a.retry_after) for a in during}
    assert len(during) >= ANSWERED_WHILE_DOWN * CALLERS  # answered again and again, never held
    assert all(a.status != 500 for a in ledger.answers)
    down_probes = [a for a in readyz if down_at + 1 < a.at < up_at - 0.5]
    assert len(down_probes) >= ANSWERED_WHILE_DOWN and all(a.status == 503 and a.retry_after for a in down_probes)
    assert all(a.status == 200 for a in healthz)
    assert len([a for a in healthz if down_at + 1 < a.at < up_at - 0.5]) >= ANSWERED_WHILE_DOWN

    conn = await asyncpg.connect(dsn)
    try:
        await exactly_once(conn, ledger)
        listening = await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 "
                                        "AND query LIKE 'LISTEN%'", replica.application_name)
        assert listening == 1  # the hub's LISTEN connection is back
    finally:
        await conn.close()
    async with aiohttp.ClientSession(replica.url) as http:
        async with http.get("/readyz") as r:
            assert r.status == 200


async def exactly_once(conn: asyncpg.Connection, ledger: Ledger) -> None:
    """Every call answered 2xx is one row (counted by its call sign); every approval one evacuation."""
    rows = await conn.fetch("SELECT id, substring(raw_text from 'MHz (\\S+)') AS sign FROM evac_requests")
    by_sign: dict[str, list[str]] = {}
    for row in rows:
        by_sign.setdefault(row["sign"], []).append(str(row["id"]))
    assert {sign: [rid] for sign, rid in ledger.created.items()} == by_sign
    evacuations = await conn.fetch("SELECT id, request_id FROM evacuations")
    assert {str(r["request_id"]): str(r["id"]) for r in evacuations} == ledger.approved
    assert len(evacuations) == len(ledger.approved)
    audited = await conn.fetchval("SELECT count(*) FROM audit_log WHERE action = 'evacuation.tasked'")
    assert audited == len(ledger.approved)


def report(ledger, during, readyz, healthz, up_at, recovered_at, streamed_at, down_at) -> None:
    """Printed with -s (and on failure): the figures the README quotes."""
    statuses = {}
    for a in ledger.answers:
        statuses[a.status] = statuses.get(a.status, 0) + 1
    latencies = sorted(a.seconds for a in during) or [0.0]
    print(json.dumps({
        "attempts": len(ledger.answers), "by_status": statuses, "calls_2xx": len(ledger.created),
        "approvals_2xx": len(ledger.approved), "answers_while_down": len(during),
        "down_503_p50_s": round(latencies[len(latencies) // 2], 3), "down_503_max_s": round(latencies[-1], 3),
        "readyz_down_max_s": round(max((a.seconds for a in readyz if a.at > down_at + 1), default=0), 3),
        "recovery_first_2xx_s": round(recovered_at - up_at, 2), "sse_resumed_s": round(streamed_at - up_at, 2),
    }))
