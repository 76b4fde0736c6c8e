"""The live /metrics: promtool accepts it, docs/operations.md catalogues it, and the mission state is right."""

import asyncio
import re
from datetime import datetime, timedelta, timezone

from medevac.monitoring.collector import collector_key
from medevac.keys import pool_key

from ..deploy.conftest import family, read_catalogue, required_tool
from .conftest import T0

SAMPLE = re.compile(r"^(\w+)(\{[^}]*\})? (\S+)$", re.MULTILINE)


async def _scrape(client) -> str:
    response = await client.get("/metrics")
    assert response.status == 200
    return await response.text()


def _value(text: str, metric: str, **labels) -> float | None:
    for sample, raw_labels, value in SAMPLE.findall(text):
        pairs = dict(re.findall(r'(\w+)="([^"]*)"', raw_labels or ""))
        if sample == metric and labels.items() <= pairs.items():
            return float(value)
    return None


async def test_promtool_accepts_the_live_metrics(client):
    text = await _scrape(client)
    process = await asyncio.create_subprocess_exec(
        required_tool("promtool"), "check", "metrics", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(text.encode()), 30)
    assert process.returncode == 0, output.decode()


async def test_every_exported_family_is_in_the_readme_catalogue(client, history):
    catalogue = read_catalogue()
    exported = {family(m) for m in re.findall(r"^# TYPE (\w+) ", await _scrape(client), re.MULTILINE)}
    assert "medevac_golden_hour_casualties" in exported
    assert exported <= set(catalogue), sorted(exported - set(catalogue))


async def test_mission_state_figures_follow_the_database(client, history, db, mission):
    now = datetime.now(timezone.utc)
    await history.casualty("A", None, now - timedelta(minutes=20), None)  # called 20 min ago: not yet at risk
    await history.casualty("A", now - timedelta(minutes=70), now - timedelta(minutes=15), None)  # injured 70 min ago
    await history.casualty("B", T0, T0, (5, 5, 10, 30))  # 50 min: golden hour kept
    await history.casualty("A", T0, T0, (20, 10, 30, 30))  # 90 min: missed
    await db.execute("UPDATE facilities SET status = 'closed' WHERE id = $1", history.facility_id)
    await db.execute("UPDATE assets SET status = 'maintenance' WHERE id = $1", history.asset_id)
    collector = client.server.app[collector_key]
    await collector.refresh(client.server.app[pool_key])
    text = await _scrape(client)
    m = str(mission.id)
    age = _value(text, "medevac_open_request_oldest_age_seconds", mission=m, precedence="A", state="waiting")
    assert 20 * 60 <= age < 25 * 60
    assert _value(text, "medevac_golden_hour_at_risk_casualties", mission=m, precedence="A") == 1
    assert _value(text, "medevac_golden_hour_casualties_total", mission=m, precedence="B", outcome="within") == 1
    assert _value(text, "medevac_golden_hour_casualties_total", mission=m, precedence="A", outcome="missed") == 1
    assert _value(text, "medevac_surgery_2h_casualties_total", mission=m, outcome="within") == 1
    assert _value(text, "medevac_time_standard_casualties_total", mission=m, precedence="A", outcome="within") == 0
    assert _value(text, "medevac_fleet_assets", mission=m, kind="helicopter", status="maintenance") == 1
    assert _value(text, "medevac_night_capable_assets_available", mission=m) == 0
    assert _value(text, "medevac_facility_usable_beds", mission=m, level="2") is None  # closed
    assert _value(text, "medevac_database_up") == 1
    assert _value(text, "medevac_mission_info", mission=m, name=mission.name) == 1


async def test_a_live_evacuation_to_a_closed_facility_is_blocked_inbound(client, history, db, mission):
    await history.casualty("C", None, datetime.now(timezone.utc), None)
    request_id = await db.fetchval("SELECT id FROM evac_requests")
    await db.execute(
        """INSERT INTO evacuations (id, mission_id, request_id, asset_id, facility_id, state, approval, approved_by,
               recommended, precedence, asset_kind, beds_reserved) VALUES (gen_random_uuid(), $1, $2, $3, $4,
               'airborne', 'manual', 'test', true, 'C', 'helicopter', 1)""",
        mission.id, request_id, history.asset_id, history.facility_id)
    collector = client.server.app[collector_key]
    await collector.refresh(client.server.app[pool_key])
    assert _value(await _scrape(client), "medevac_facilities_blocked_with_inbound", mission=str(mission.id)) is None
    await db.execute("UPDATE facilities SET status = 'closed' WHERE id = $1", history.facility_id)
    await collector.refresh(client.server.app[pool_key])
    text = await _scrape(client)
    assert _value(text, "medevac_facilities_blocked_with_inbound", mission=str(mission.id), level="2",
                  reason="closed") == 1


async def test_database_down_is_reported_not_raised(client, database_url):
    import asyncpg

    collector = client.server.app[collector_key]
    broken = await asyncpg.create_pool(database_url.rsplit("/", 1)[0] + "/no_such_database", min_size=0)
    try:
        await collector.refresh(broken)
    finally:
        await broken.close()
    assert _value(await _scrape(client), "medevac_database_up") == 0
