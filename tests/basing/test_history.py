"""Demand from a mission's history: 9-line requests posted through the API, read back as demand points."""

from datetime import datetime, timedelta, timezone

import pytest

from medevac.basing import store
from medevac.basing.demand import cluster

from tests.basing.test_api import TINY

OUTPOST_SIDE = (6.9, 20.9)  # ~ 110 km from HOSPITAL_SIDE: two demand points
HOSPITAL_SIDE = (6.1, 20.1)
# Central African Republic, UTC+1: 10:00Z is mid-morning, 22:00Z is well after dusk, and 17:40Z is
# past civil dusk there on 3 May though a UTC clock would call it day.
DAY, NIGHT, DUSK = "T10:00:00Z", "T22:00:00Z", "T17:40:00Z"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


async def log_history(nine_line) -> list[dict]:
    """Five requests in early May (two by night), one in June."""
    return [
        await nine_line(*OUTPOST_SIDE, {"A": 2, "B": 1}, "2024-05-01" + DAY),
        await nine_line(*OUTPOST_SIDE, {"A": 1}, "2024-05-02" + NIGHT),
        await nine_line(*OUTPOST_SIDE, {"B": 1, "C": 1}, "2024-05-03" + DAY),
        await nine_line(*HOSPITAL_SIDE, {"C": 1, "D": 2}, "2024-05-02" + NIGHT),
        await nine_line(*OUTPOST_SIDE, {"B": 1}, "2024-05-03" + DUSK),
        await nine_line(*HOSPITAL_SIDE, {"A": 1}, "2024-06-01" + DAY),
    ]


def by_place(points) -> dict[tuple[float, float], dict]:
    return {(p.location.lat, p.location.lon): p.weights for p in points}


async def test_weights_are_the_requests_precedence_counts_split_by_day_and_night(db, mission, nine_line):
    await log_history(nine_line)
    history = await store.mission_history(db, mission.id)
    assert history.requests == 6 and len(history.casualties) == 11
    # Whole days around what was found; calls logged today count as called 15 min after the injury.
    assert (history.since, history.until) == (utc("2024-05-01T00:00:00Z"), utc("2024-06-02T00:00:00Z"))
    assert {c.reported_at - c.injured_at for c in history.casualties} == {timedelta(minutes=15)}
    points = by_place(cluster(history.incidents()))
    assert points == {
        OUTPOST_SIDE: {"day": {"A": 2.0, "B": 2.0, "C": 1.0}, "night": {"A": 1.0, "B": 1.0}},
        HOSPITAL_SIDE: {"day": {"A": 1.0}, "night": {"C": 1.0, "D": 2.0}},
    }



async def test_a_stored_injury_time_that_is_not_finite_counts_from_the_call(db, mission, nine_line):
    """Year 0001 is stored as -infinity and read back without a zone: the history falls back to the call."""
    requests = await log_history(nine_line)
    await db.execute("UPDATE evac_requests SET injured_at = '-infinity' WHERE id = $1", requests[0]["id"])
    await db.execute("UPDATE casualties SET injured_at = '-infinity' WHERE request_id = $1", requests[0]["id"])
    history = await store.mission_history(db, mission.id)
    assert history.requests == 6 and all(c.injured_at.tzinfo is not None for c in history.casualties)

async def test_the_window_is_on_injury_time_and_cancelled_requests_do_not_count(db, mission, nine_line):
    requests = await log_history(nine_line)
    await db.execute("UPDATE evac_requests SET status = 'cancelled' WHERE id = $1", requests[2]["id"])
    since, until = utc("2024-05-02" + NIGHT), utc("2024-05-03" + DUSK)  # [since, until): 1 and 3 only
    history = await store.mission_history(db, mission.id, since, until)
    assert (history.since, history.until) == (since, until)
    requests = [requests[n] for n in (1, 3)]
    assert sorted(c.precedence for c in history.casualties) == ["A", "C", "D", "D"]
    assert {c.incident for c in history.casualties} == {r["id"] for r in requests}
    assert all(c.reported_at >= c.injured_at for c in history.casualties)
    assert await store.mission_history(db, mission.id, utc("2024-07-01T00:00:00Z"), None) is None


def body(**extra) -> dict:
    return {"scenario": TINY.model_dump(mode="json"), "request": {"runs": 2, "time_limit_s": 5}} | extra


async def test_a_job_plans_from_the_history_and_simulates_it(mission, token, nine_line, basing_job):
    await log_history(nine_line)
    job = await basing_job(await token("admin"), body(demand="history"))
    assert job["status"] == "done", job
    result = job["result"]
    demand = result["demand"]
    assert demand["source"] == "history" and demand["points"] == 2
    assert demand["history"] | {"since": None, "until": None} == {
        "since": None, "until": None, "requests": 6, "casualties": 11, "weight": 1.0}
    # A+B by period: day 2A+2B at the outpost side and 1A (June) at the hospital side; night 1A+1B.
    assert demand["urgent"] == {"day": 5.0, "night": 2.0}
    assert sorted(p["urgent"]["day"] for p in result["points"]) == [1.0, 4.0]
    evidence = result["evidence"]
    assert evidence["runs"] == 2 and evidence["current"]["urgent_per_run"]["mean"] > 0
    assert not any(p["id"].startswith("c") for p in result["points"])  # TINY's own casualties are not demand


async def test_history_needs_requests(client, mission, token):
    reply = await client.post("/v1/planning/basing", json=body(demand="both"), headers=await token("admin"))
    assert reply.status == 422
    assert [e["field"] for e in (await reply.json())["errors"]] == ["demand"]


@pytest.mark.parametrize("window, field", [
    ({"demand": "history", "since": "2024-05-03T00:00:00Z", "until": "2024-05-02T00:00:00Z"}, "until"),
    ({"demand": "history", "since": "2024-05-02T00:00:00"}, "since"),  # no offset
    ({"demand": "history", "since": "2025-01-01T00:00:00Z"}, "since"),  # nothing in it
    ({"demand": "both", "until": "2024-04-01T00:00:00Z"}, "until"),
    ({"demand": "scenario", "since": "2024-05-01T00:00:00Z"}, "since"),  # a window without history
])
async def test_bad_windows_are_422_naming_the_field(client, mission, token, nine_line, window, field):
    await nine_line(*OUTPOST_SIDE, {"A": 1}, "2024-05-02" + DAY)
    reply = await client.post("/v1/planning/basing", json=body(**window),
                              headers=await token("observer", rights=("planning",)))
    assert reply.status == 422, await reply.text()
    assert reply.content_type == "application/problem+json"
    assert [e["field"] for e in (await reply.json())["errors"]] == [field]
