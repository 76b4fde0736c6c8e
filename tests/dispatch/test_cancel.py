"""Cancelling a 9-line: with a reason, audited, refused while an aircraft is tasked for it."""


async def test_cancel_needs_a_reason_waits_for_an_abort_and_is_audited(client, token, theatre, radio, wordings, db):
    field, dispatcher = await token("field"), await token("dispatcher")
    request = await radio(field, wordings["labelled"])
    path = f"/v1/evac-requests/{request['id']}/cancel"
    blank = await client.post(path, headers=dispatcher, json={"reason": ""})
    assert blank.status == 422 and (await blank.json())["errors"][0]["field"] == "reason"

    choice = {"asset_id": str(theatre.helos[0].id), "facility_id": str(theatre.level_ii.id), "accept_warnings": True}
    tasked = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json=choice)
    assert tasked.status == 201, await tasked.text()
    flying = await client.post(path, headers=dispatcher, json={"reason": "stood down"})
    assert flying.status == 409
    problem = await flying.json()
    assert problem["code"] == "live_sortie" and "UNO-1 is still tasked" in problem["detail"]

    evacuation = await tasked.json()
    aborted = await client.post(f"/v1/evacuations/{evacuation['id']}/transitions", headers=dispatcher,
                                json={"to": "aborted", "reason": "stood down"})
    assert aborted.status == 200, await aborted.text()
    cancelled = await client.post(path, headers=field, json={"reason": "stood down by the patrol"})
    assert cancelled.status == 200, await cancelled.text()
    assert (await cancelled.json())["status"] == "cancelled"
    again = await client.post(path, headers=field, json={"reason": "twice"})
    assert again.status == 409 and (await again.json())["code"] == "request_cancelled"
    assert await db.fetchval("SELECT after->>'cancel_reason' FROM audit_log WHERE action = 'evac_request.cancelled'") \
        == "stood down by the patrol"
    listed = await (await client.get("/v1/evac-requests?status=open", headers=dispatcher)).json()
    assert listed["items"] == []
