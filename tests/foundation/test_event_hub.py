"""The hub's hand-over to streams: batched under load, at once when quiet, bounded per stream."""

import asyncio
import uuid

import pytest

from medevac import hub as live
from medevac.config import Settings
from medevac.hub import Event, EventHub

HERE, THERE = uuid.uuid4(), uuid.uuid4()
COALESCE_S = Settings.model_fields["stream_coalesce_s"].default


def events(first_seq: int, count: int, mission: uuid.UUID) -> list[Event]:
    return [Event(seq, "2026-11-23T00:00:00+00:00", str(mission), "asset.updated", "asset", "a-1", {})
            for seq in range(first_seq, first_seq + count)]


def hub() -> EventHub:
    return EventHub("postgresql://unused", pool=None, coalesce_s=COALESCE_S)  # deliver() never reads the database


async def test_a_lone_event_goes_at_once_and_a_burst_after_it_in_one_batch():
    h = hub()
    sub = h.subscribe(HERE)
    h.deliver(events(1, 1, HERE))
    assert [e.seq for e in await asyncio.wait_for(sub.take(), 0.01)] == [1]  # no coalescing delay when quiet
    for seq in range(2, 42):  # forty events, one read of the outbox each, inside one coalescing period
        h.deliver(events(seq, 1, HERE))
    batch = await asyncio.wait_for(sub.take(), COALESCE_S * 5)
    assert [e.seq for e in batch] == list(range(2, 42))


async def test_each_stream_gets_its_missions_events_and_the_all_missions_stream_everything():
    h = hub()
    mine, other, everything = h.subscribe(HERE), h.subscribe(THERE), h.subscribe(None)
    h.deliver(events(1, 2, HERE) + events(3, 1, THERE) + events(4, 1, HERE))
    assert [e.seq for e in await mine.take()] == [1, 2, 4]
    assert [e.seq for e in await other.take()] == [3]
    assert [e.seq for e in await everything.take()] == [1, 2, 3, 4]


async def test_a_stream_too_far_behind_is_ended_and_the_others_carry_on():
    h = hub()
    stalled, reading = h.subscribe(HERE), h.subscribe(HERE)
    h.deliver(events(1, live.QUEUE_LIMIT + 1, HERE))  # one big batch (a catch-up) drops nobody
    assert len(await reading.take()) == live.QUEUE_LIMIT + 1
    h.deliver(events(live.QUEUE_LIMIT + 2, 1, HERE))  # the stalled stream still holds the first batch
    assert [e.seq for e in await asyncio.wait_for(reading.take(), 1)] == [live.QUEUE_LIMIT + 2]
    assert await stalled.take() is None  # dropped whole: it resumes by Last-Event-ID
    assert stalled not in h._subscriptions


async def test_a_stream_gets_only_what_was_delivered_after_it_subscribed():
    h = hub()
    early = h.subscribe(HERE)
    h.deliver(events(1, 1, HERE))
    h.deliver(events(2, 2, HERE))  # held back for the coalescing period
    late = h.subscribe(HERE)
    h.deliver(events(4, 1, HERE))
    assert [e.seq for e in await asyncio.wait_for(late.take(), 1)] == [4]
    assert [e.seq for e in await early.take()] == [1, 2, 3, 4]


async def test_shutdown_hands_over_what_was_delivered_then_ends_every_stream():
    h = hub()
    sub = h.subscribe(HERE)
    h.deliver(events(1, 1, HERE))
    h.deliver(events(2, 3, HERE))  # inside the coalescing period: held back
    h.end_streams()
    assert [e.seq for e in await sub.take()] == [1, 2, 3, 4]
    assert await sub.take() is None


async def test_the_coalescing_period_comes_from_the_settings(aiohttp_client, make_app):
    from medevac.hub import hub_key

    client = await aiohttp_client(make_app(stream_coalesce_s=2))
    held = client.app[hub_key]
    sub = held.subscribe(HERE)
    first = 10**9  # past whatever the fixture's database already holds
    held.deliver(events(first, 1, HERE))
    held.deliver(events(first + 1, 1, HERE))  # within 2 s of the last hand-over: held back
    got = []
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            while True:
                got += await sub.take()
    assert first + 1 not in [e.seq for e in got]

    at_once = EventHub("postgresql://unused", pool=None, coalesce_s=0)
    sub = at_once.subscribe(HERE)
    at_once.deliver(events(1, 1, HERE))
    at_once.deliver(events(2, 1, HERE))
    assert [e.seq for e in await asyncio.wait_for(sub.take(), 0.01)] == [1, 2]
