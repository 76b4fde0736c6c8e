from medevac.basing.runner import runner_key

from tests.basing.instances import casualty, facility, helicopter, scenario

TINY = scenario(
    [facility("hospital", {"lat": 6.0, "lon": 20.0}, tables=1), facility("outpost", {"lat": 6.8, "lon": 20.8})],
    [helicopter("h1", {"lat": 6.0, "lon": 20.0}), helicopter("h2", {"lat": 6.0, "lon": 20.0})],
    [casualty("c1", {"lat": 6.9, "lon": 20.9}, "A", 10), casualty("c2", {"lat": 6.1, "lon": 20.1}, "B", 11)],
)


async def test_basing_job_runs_to_completion(mission, token, basing_job):
    body = {"scenario": TINY.model_dump(mode="json"), "request": {"runs": 2, "time_limit_s": 5}}
    job = await basing_job(await token("admin"), body)
    assert job["status"] == "done", job
    result = job["result"]
    assert {p["id"] for p in result["points"]} and all("current" in p and "proposed" in p for p in result["points"])
    assert result["evidence"]["runs"] == 2


async def test_bad_request_names_the_field(client, mission, token):
    headers = await token("observer", rights=("planning",))
    body = {"scenario": TINY.model_dump(mode="json"), "request": {"fixed": ["no-such-asset"]}}
    reply = await client.post("/v1/planning/basing", json=body, headers=headers)
    assert reply.status == 422
    problem = await reply.json()
    assert problem["errors"][0]["field"] == "request.fixed[0]"


async def test_dispatchers_may_not_plan_basing(client, mission, token):
    reply = await client.post("/v1/planning/basing", json={"scenario": TINY.model_dump(mode="json")},
                              headers=await token("dispatcher"))
    assert reply.status == 403


async def test_only_observers_with_the_planning_right_start_plans(client, mission, token, db):
    body = {"scenario": TINY.model_dump(mode="json"), "request": {"runs": 1, "time_limit_s": 5}}
    refused = await client.post("/v1/planning/basing", json=body, headers=await token("observer"))
    assert refused.status == 403 and "planning right" in (await refused.json())["detail"]
    assert await db.fetchval("SELECT count(*) FROM basing_jobs") == 0
    planner = await token("observer", rights=("planning",))
    started = await client.post("/v1/planning/basing", json=body, headers=planner)
    assert started.status == 202, await started.text()
    # Any observer may read the plan once started (headquarters watches it).
    job_id = (await started.json())["id"]
    assert (await client.get(f"/v1/planning/basing/{job_id}", headers=await token("observer"))).status == 200


async def test_a_full_queue_is_429_and_the_queued_job_still_runs(client, mission, token, finished):
    runner = client.server.app[runner_key]
    runner.capacity = 1
    headers = await token("admin")
    body = {"scenario": TINY.model_dump(mode="json"), "request": {"runs": 1, "time_limit_s": 5}}
    async with runner.slots:  # the worker is busy: the first job waits in the queue
        first = await client.post("/v1/planning/basing", json=body, headers=headers)
        assert first.status == 202
        second = await client.post("/v1/planning/basing", json=body, headers=headers)
        assert second.status == 429 and second.headers["Retry-After"] == "60"
        assert (await second.json())["status"] == 429
    assert (await finished(headers, await first.json()))["status"] == "done"
