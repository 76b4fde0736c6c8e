"""The HQ report equals the figures recomputed here from the raw casualty rows."""

import csv
import io
import random
import statistics
import uuid
from datetime import timedelta

from medevac.missions import store as missions
from medevac.missions.model import MissionCreate

from .conftest import T0, History

URL = "/v1/reports/response-times"
SEGMENT_STAMPS = {"injury_to_call": ("injured", "called_at"), "call_to_tasked": ("called_at", "tasked_at"),
                  "tasked_to_airborne": ("tasked_at", "airborne_at"),
                  "airborne_to_pickup": ("airborne_at", "at_pickup_at"),
                  "pickup_to_handover": ("at_pickup_at", "handed_over_at")}


async def _seed(history: History, rng: random.Random, count: int) -> None:
    for _ in range(count):
        called = T0 + timedelta(hours=rng.uniform(0, 48))
        injured = called - timedelta(minutes=rng.uniform(1, 40)) if rng.random() < 0.8 else None
        precedence = rng.choice("AABBCCD")
        stages = tuple(rng.uniform(2, 50) for _ in range(4))
        await history.casualty(precedence, injured, called, stages)
    await history.casualty("A", T0, T0 + timedelta(hours=1), None)  # still waiting: not in the report


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    rank = 0.9 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


async def _raw_rows(db, mission_id, start, end) -> list[dict]:
    rows = await db.fetch(
        """SELECT c.precedence, coalesce(c.injured_at, r.injured_at, r.called_at) AS injured, r.called_at,
                  e.tasked_at, e.airborne_at, e.at_pickup_at, c.handed_over_at, m.time_standards
           FROM casualties c JOIN evac_requests r ON r.id = c.request_id JOIN missions m ON m.id = r.mission_id
           JOIN evacuations e ON e.id = c.evacuation_id
           WHERE c.status = 'handed_over' AND r.mission_id = $1""", mission_id)
    return [dict(r) for r in rows if start <= r["handed_over_at"] < end]


def _expected(rows: list[dict], precedence: str) -> dict:
    mine = [r for r in rows if r["precedence"] == precedence]
    care = [(r["handed_over_at"] - r["injured"]).total_seconds() for r in mine]
    within = sum(1 for r, s in zip(mine, care) if s <= 60 * r["time_standards"][precedence])
    segments = {}
    for name, (a, b) in SEGMENT_STAMPS.items():
        values = [(r[b] - r[a]).total_seconds() for r in mine]
        segments[name] = (len(values), statistics.fmean(values) if values else None, _p90(values) if values else None)
    return {"count": len(care), "mean_s": statistics.fmean(care) if care else None,
            "p90_s": _p90(care) if care else None, "within_standard": within, "segments": segments}


def _close(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


async def test_report_figures_equal_those_recomputed_from_the_rows(client, token, history, db, mission):
    rng = random.Random(7)
    await _seed(history, rng, 40)
    other = await missions.create(db, MissionCreate(name="Other mission"))
    await History(db, other.id, history.facility_id, history.asset_id).casualty(
        "A", T0, T0 + timedelta(minutes=5), (1, 1, 1, 1))
    start, end = T0 + timedelta(hours=6), T0 + timedelta(hours=40)
    headers = await token("observer", mission_id=None)
    response = await client.get(URL, headers=headers, params={
        "from": start.isoformat(), "to": end.isoformat(), "mission": str(mission.id)})
    assert response.status == 200, await response.text()
    report = await response.json()
    rows = await _raw_rows(db, mission.id, start, end)
    assert 20 < len(rows) < 40  # the window really cuts
    assert [f["precedence"] for f in report["precedences"]] == list("ABCDE")
    for figures in report["precedences"]:
        expected = _expected(rows, figures["precedence"])
        assert figures["count"] == expected["count"] and figures["within_standard"] == expected["within_standard"]
        assert _close(figures["mean_s"], expected["mean_s"]) and _close(figures["p90_s"], expected["p90_s"])
        for name, (n, mean, p90) in expected["segments"].items():
            got = figures["segments"][name]
            assert got["count"] == n and _close(got["mean_s"], mean) and _close(got["p90_s"], p90), name
    urgent = [r for r in rows if r["precedence"] in "AB"]
    golden = sum(1 for r in urgent if (r["handed_over_at"] - r["injured"]).total_seconds() <= 3600)
    assert report["golden_hour"]["count"] == len(urgent) and report["golden_hour"]["within"] == golden


async def test_csv_carries_the_same_figures(client, token, history):
    await _seed(history, random.Random(3), 12)
    headers = await token("dispatcher")
    params = {"from": (T0 - timedelta(days=1)).isoformat(), "to": (T0 + timedelta(days=5)).isoformat()}
    as_json = await (await client.get(URL, headers=headers, params=params)).json()
    response = await client.get(URL, headers=headers, params=params | {"format": "csv"})
    assert response.status == 200 and response.content_type == "text/csv"
    table = list(csv.DictReader(io.StringIO(await response.text())))
    assert [row["precedence"] for row in table] == list("ABCDE")
    for row, figures in zip(table, as_json["precedences"]):
        assert int(row["count"]) == figures["count"]
        assert (row["p90_s"] == "") == (figures["p90_s"] is None)
        if figures["p90_s"] is not None:
            assert _close(float(row["p90_s"]), figures["p90_s"])
            assert _close(float(row["call_to_tasked_mean_s"]), figures["segments"]["call_to_tasked"]["mean_s"])


async def test_bad_input_names_the_field_and_roles_are_enforced(client, token, mission):
    observer = await token("observer", mission_id=None)
    cases = {"query.from": {"from": "yesterday"}, "query.to": {"to": "2025-01-01T00:00:00"},
             "query.format": {"format": "xlsx"}, "query.mission": {"mission": "nope"}}
    for field, params in cases.items():
        response = await client.get(URL, headers=observer, params=params)
        body = await response.json()
        assert response.status == 422 and response.content_type == "application/problem+json", body
        assert field in [e["field"] for e in body["errors"]], (field, body)
    backwards = await client.get(URL, headers=observer, params={"from": T0.isoformat(), "to": T0.isoformat()})
    assert backwards.status == 422 and (await backwards.json())["errors"][0]["field"] == "query.from"
    assert (await client.get(URL, headers=await token("clinician"))).status == 403
    assert (await client.get(URL)).status == 401
    foreign = await client.get(URL, headers=await token("dispatcher"), params={"mission": str(uuid.uuid4())})
    assert foreign.status == 403
