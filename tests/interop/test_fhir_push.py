"""Pre-alerts POSTed to a facility's FHIR endpoint on tasking: a real aiohttp server in the suite receives
and validates the Bundle; retries after a failure; a final failure shows on the stream, the list, the metrics."""

import asyncio

from aiohttp import web

from tests.dispatch.test_evac_lifecycle import _metric
from tests.interop.fhir_check import validated


def hospital_server(answers: list[int]):
    """A receiving hospital's FHIR server: answers in turn (then 200); every Bundle it got, validated."""
    received: asyncio.Queue = asyncio.Queue()

    async def transaction(request: web.Request) -> web.Response:
        assert request.content_type == "application/fhir+json"
        document = await request.json()
        await received.put(document)
        status = answers.pop(0) if answers else 200
        return web.json_response({"resourceType": "Bundle", "type": "transaction-response"}, status=status,
                                 content_type="application/fhir+json")

    app = web.Application()
    app.router.add_post("/fhir", transaction)
    return app, received


async def _set_endpoint(client, token, facility_id, url) -> None:
    answer = await client.patch(f"/v1/facilities/{facility_id}/fhir-endpoint", json={"url": url},
                                headers=await token("dispatcher"))
    assert answer.status == 200, await answer.text()


async def test_prealert_reaches_the_hospital_after_a_retry(aiohttp_client, aiohttp_server, make_app, token,
                                                         theatre, task_evacuation, sse, db):
    hospital, received = hospital_server([503])
    server = await aiohttp_server(hospital)
    client = await aiohttp_client(make_app(fhir_push_backoff_s=0.05))
    await _set_endpoint(client, token, theatre["level_ii"].id, str(server.make_url("/fhir")))
    stream = await sse(client, await token("dispatcher"))
    _, evacuation = await task_evacuation(client)  # tasking answers before the hospital has been reached

    first, second = [await asyncio.wait_for(received.get(), 10) for _ in range(2)]
    assert first == second, "a retry sends the same Bundle: PUTs with stable ids"
    res = validated(second)
    assert second["type"] == "transaction"
    assert all(e["request"] == {"method": "PUT", "url": f"{e['resource']['resourceType']}/{e['resource']['id']}"}
               for e in second["entry"])
    [task] = res["Task"]
    assert task["id"] == evacuation["id"] and task["status"] == "accepted"
    [prealert] = res["Communication"]
    assert prealert["recipient"][0]["display"] == "Bria Level II" and len(res["Patient"]) == 2
    assert len(res["Observation"]) > 0

    delivered = await stream.until(lambda e: e["type"] == "fhir_push.delivered")
    assert delivered["entity_id"] == evacuation["id"]
    row = await db.fetchrow("SELECT status, attempts, last_status, version FROM fhir_pushes")
    assert dict(row) == {"status": "delivered", "attempts": 2, "last_status": None, "version": 1}
    disclosed = await db.fetchval("SELECT after FROM audit_log WHERE action = 'patient_details.disclosed'")
    assert disclosed["to"].endswith("/fhir")
    assert await _metric(client, "medevac_fhir_pushes_total", outcome="delivered") == 1
    assert await _metric(client, "medevac_fhir_push_attempts_total", outcome="failed") == 1

    # Each lifecycle step updates the hospital: the same resources, the new status and ETA.
    crew = await token("field")
    airborne = await client.post(f"/v1/evacuations/{evacuation['id']}/transitions", json={"to": "airborne"},
                                 headers=crew)
    assert airborne.status == 200
    update = validated(await asyncio.wait_for(received.get(), 10))
    [task] = update["Task"]
    assert task["status"] == "in-progress" and task["businessStatus"]["coding"][0]["code"] == "airborne"
    assert {e["id"] for e in res["Patient"]} == {e["id"] for e in update["Patient"]}
    await stream.until(lambda e: e["type"] == "fhir_push.delivered" and e["payload"]["version"] == 2)
    assert await db.fetchval("SELECT version FROM fhir_pushes") == 2


async def test_a_failing_hospital_is_visible_and_tasking_unharmed(aiohttp_client, aiohttp_server, make_app, token,
                                                                 theatre, task_evacuation, sse):
    hospital, received = hospital_server([500, 500, 500])
    server = await aiohttp_server(hospital)
    client = await aiohttp_client(make_app(fhir_push_backoff_s=0.01, fhir_push_attempts=3))
    await _set_endpoint(client, token, theatre["level_ii"].id, str(server.make_url("/fhir")))
    dispatcher = await token("dispatcher")
    stream = await sse(client, dispatcher)
    _, evacuation = await task_evacuation(client)
    assert evacuation["state"] == "tasked"

    failed = await stream.until(lambda e: e["type"] == "fhir_push.failed")
    assert "answered 500" in failed["payload"]["error"] and received.qsize() == 3
    listed = await (await client.get("/v1/fhir-pushes?status=failed", headers=dispatcher)).json()
    assert [(p["evacuation_id"], p["attempts"], p["last_status"]) for p in listed] == [(evacuation["id"], 3, 500)]
    assert await _metric(client, "medevac_fhir_pushes_total", outcome="failed") == 1


async def test_endpoint_must_be_a_web_address(client, token, theatre):
    answer = await client.patch(f"/v1/facilities/{theatre['level_ii'].id}/fhir-endpoint", json={"url": "ftp://x"},
                                headers=await token("dispatcher"))
    assert answer.status == 422 and (await answer.json())["errors"][0]["field"] == "url"
    cleared = await client.patch(f"/v1/facilities/{theatre['level_ii'].id}/fhir-endpoint", json={"url": None},
                                 headers=await token("dispatcher"))
    assert cleared.status == 200 and (await cleared.json())["url"] is None
