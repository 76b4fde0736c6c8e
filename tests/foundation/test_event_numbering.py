"""Outbox events are numbered at COMMIT, in commit order: a reader never sees a gap fill in later."""

import asyncio

import asyncpg

from medevac import events
from medevac.db.pool import _init_connection


async def connect(url: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(url)
    await _init_connection(conn)
    return conn


async def test_the_writer_that_commits_first_gets_the_lower_number(database_url, db):
    early, late = await connect(database_url), await connect(database_url)
    heard: asyncio.Queue = asyncio.Queue()
    await db.add_listener(events.CHANNEL, lambda *args: heard.put_nowait(args[-1]))
    try:
        async with early.transaction():
            await events.publish(early, mission_id=None, type="x.first_written", entity="x", entity_id=1,
                                 payload={"n": 1})
            async with late.transaction():
                await events.publish(late, mission_id=None, type="x.second_written", entity="x", entity_id=2,
                                     payload={"n": 2})
            # Committed while `early` is still open: visible, and numbered before it.
            [seen] = await events.since(db, 0)
            assert seen["type"] == "x.second_written" and seen["seq"] > 0
        rows = await events.since(db, 0)
        assert [r["type"] for r in rows] == ["x.second_written", "x.first_written"]
        assert rows[1]["seq"] == rows[0]["seq"] + 1
        async with asyncio.timeout(5):
            assert [await heard.get(), await heard.get()] == [str(r["seq"]) for r in rows]
    finally:
        await early.close()
        await late.close()


async def test_several_events_of_one_transaction_keep_their_order_and_a_rollback_leaves_none(database_url, db):
    writer = await connect(database_url)
    try:
        async with writer.transaction():
            for n in range(3):
                await events.publish(writer, mission_id=None, type=f"x.step_{n}", entity="x", entity_id=n,
                                     payload={})
        tx = writer.transaction()
        await tx.start()
        await events.publish(writer, mission_id=None, type="x.abandoned", entity="x", entity_id=9, payload={})
        await tx.rollback()
    finally:
        await writer.close()
    rows = await db.fetch("SELECT seq, type FROM events ORDER BY seq")
    assert [r["type"] for r in rows] == ["x.step_0", "x.step_1", "x.step_2"]
    assert [r["seq"] for r in rows] == list(range(rows[0]["seq"], rows[0]["seq"] + 3))
