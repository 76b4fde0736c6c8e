"""A real Prometheus scrapes two replicas sharing one database and sees a scripted evacuation."""

import asyncio
import time
from datetime import datetime, timedelta, timezone

import aiohttp

from tests.factories import free_port

from ..deploy.conftest import required_tool

RADIO_CALL = """LOCATION: 6.6 N 22.05 E
FREQ/CALLSIGN: 123.45 MHz TUNAIR 1
PRECEDENCE: URGENT 1
SPECIAL EQUIPMENT: NONE
PATIENTS BY TYPE: LITTER 1
"""
# Golden-hour compliance as HQ computes it: replicas report the same counters, so max, never sum.
GOLDEN_HOUR_RATIO = (
    'sum by (mission) (max by (mission, precedence) (medevac_golden_hour_casualties_total{outcome="within"}))'
    ' / sum by (mission) (max by (mission, precedence, outcome) (medevac_golden_hour_casualties_total))')
DEADLINE_S = 30


def _config(targets: list[str]) -> str:
    quoted = ", ".join(f'"{t}"' for t in targets)
    return ("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            f"scrape_configs:\n  - job_name: medevac\n    static_configs:\n      - targets: [{quoted}]\n")


async def _query(http: aiohttp.ClientSession, base: str, expr: str) -> list[dict]:
    async with http.get(f"{base}/api/v1/query", params={"query": expr}) as response:
        body = await response.json()
    assert body["status"] == "success", body
    return body["data"]["result"]


async def _until(http, base: str, expr: str, accept, process) -> list[dict]:
    """Poll an instant query until `accept(result)`, failing after DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    result: list[dict] = []
    while time.monotonic() < deadline:
        assert process.returncode is None, "prometheus exited"
        try:
            result = await _query(http, base, expr)
            if accept(result):
                return result
        except (aiohttp.ClientConnectionError, aiohttp.ContentTypeError):
            pass  # still starting: not listening yet, or a plain-text 503 until its storage is ready
        await asyncio.sleep(0.25)
    raise AssertionError(f"{expr!r} never satisfied within {DEADLINE_S}s; last: {result}")


async def _scripted_evacuation(one, two, token, history) -> None:
    """A radio call on replica one, approved on replica two, flown to handover on replica one."""
    field, dispatcher = await token("field"), await token("dispatcher")
    created = await one.post("/v1/evac-requests", data=RADIO_CALL.encode(),
                             headers=field | {"Content-Type": "text/plain"})
    assert created.status == 201, await created.text()
    request = await created.json()
    approved = await two.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={
        "asset_id": str(history.asset_id), "facility_id": str(history.facility_id), "accept_warnings": True})
    assert approved.status == 201, await approved.text()
    evacuation = await approved.json()
    for state in ("airborne", "at_pickup", "loaded", "handed_over"):
        moved = await one.post(f"/v1/evacuations/{evacuation['id']}/transitions", json={"to": state}, headers=field)
        assert moved.status == 200, await moved.text()


async def test_prometheus_scrapes_two_replicas_and_computes_golden_hour_compliance(
        aiohttp_client, make_app, token, history, mission, tmp_path):
    prometheus = required_tool("prometheus")
    one, two = await aiohttp_client(make_app()), await aiohttp_client(make_app())
    # History: one urgent casualty that reached care 95 minutes after injury (a miss).
    injured = datetime.now(timezone.utc) - timedelta(hours=3)
    await history.casualty("A", injured, injured + timedelta(minutes=5), (5, 10, 25, 50))
    await _scripted_evacuation(one, two, token, history)  # minutes from injury (call) to care: a hit

    targets = [f"127.0.0.1:{c.server.port}" for c in (one, two)]
    (tmp_path / "prometheus.yml").write_text(_config(targets))
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        prometheus, f"--config.file={tmp_path / 'prometheus.yml'}", f"--storage.tsdb.path={tmp_path / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}", stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            up = await _until(http, base, 'up{job="medevac"} == 1', lambda r: len(r) == 2, process)
            assert {s["metric"]["instance"] for s in up} == set(targets)
            # Every replica reports the shared figures; the ratio counts them once.
            both = await _until(http, base, 'medevac_golden_hour_casualties_total{outcome="within"} == 1',
                                lambda r: len(r) == 2, process)
            assert {s["metric"]["instance"] for s in both} == set(targets)
            ratio = await _query(http, base, GOLDEN_HOUR_RATIO)
            assert [(s["metric"]["mission"], float(s["value"][1])) for s in ratio] == [(str(mission.id), 0.5)]
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
    report = await (await one.get("/v1/reports/response-times", headers=await token("observer", mission_id=None),
                                  params={"mission": str(mission.id)})).json()
    assert report["golden_hour"] == {"count": 2, "within": 1, "share": 0.5}
