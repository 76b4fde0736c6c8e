"""Planning fixtures: the app without the dispatch planner, and 9-line requests as history."""

import asyncio

import pytest

from medevac.dispatch.planning.loop import PlannerSettings


@pytest.fixture
def planner_settings() -> PlannerSettings:
    """The service as deployed, minus the dispatch re-planner (history rows are all these tests need)."""
    return PlannerSettings(enabled=False)


@pytest.fixture
def nine_line(client, token):
    """`await nine_line(lat, lon, {"A": 2}, "2024-05-01T10:00:00Z")` → the created request (via the API)."""

    async def send(lat: float, lon: float, precedence: dict[str, int], injured_at: str) -> dict:
        body = {"location": {"lat": lat, "lon": lon}, "radio": {"call_sign": "WARHORSE 21"},
                "precedence": precedence, "special_equipment": ["A"],
                "patients_by_type": {"litter": sum(precedence.values())}, "injured_at": injured_at}
        reply = await client.post("/v1/evac-requests", json=body, headers=await token("dispatcher"))
        assert reply.status == 201, await reply.text()
        return await reply.json()

    return send


@pytest.fixture
def finished(client):
    """`await finished(headers, job)` → the job once done or failed (polls its GET)."""

    async def poll(headers: dict, job: dict) -> dict:
        for _ in range(1200):  # a bound on polling, not a timing assertion
            if job["status"] in ("done", "failed"):
                return job
            await asyncio.sleep(0.1)
            job = await (await client.get(f"/v1/planning/basing/{job['id']}", headers=headers)).json()
        raise AssertionError(f"job still {job['status']}")

    return poll


@pytest.fixture
def basing_job(client, finished):
    """`await basing_job(headers, body)` → the finished job (POST, then poll)."""

    async def run(headers: dict, body: dict) -> dict:
        started = await client.post("/v1/planning/basing", json=body, headers=headers)
        assert started.status == 202, await started.text()
        return await finished(headers, await started.json())

    return run
