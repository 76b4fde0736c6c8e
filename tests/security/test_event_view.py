"""Batch frames are shared between streams only when the batch is the same run of events, and
each kind of reader gets its own: patient details never leak from a dispatcher's batch."""

from medevac.hub import Event
from medevac.privacy import EventView

AT = "2026-11-23T10:00:00+00:00"


def event(seq: int, mission: str, mist: str | None = None) -> Event:
    payload = {"id": f"r{seq}", "casualties": [{"mist": mist}]} if mist else {"id": f"a{seq}", "status": "ok"}
    return Event(seq, AT, mission, "evac_request.created" if mist else "asset.updated", "x", f"e{seq}", payload)


def test_batches_are_told_apart_by_their_run_and_by_the_reader():
    view = EventView()
    everything = [event(1, "m1", "GSW chest"), event(2, "m2"), event(3, "m1")]
    mission_1 = [everything[0], everything[2]]  # same ends, one event fewer: another stream's batch

    frames, shown = view._batch(everything, reader=True)
    assert b"GSW chest" in frames and shown == [("x", "e1", "m1")]
    stripped, none_shown = view._batch(everything, reader=False)
    assert b"GSW chest" not in stripped and b'"mist": null' in stripped and none_shown == []
    assert b"e2" not in view._batch(mission_1, reader=False)[0]  # not the all-missions batch
    assert view._batch(everything, reader=True) == (frames, shown)
