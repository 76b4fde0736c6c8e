"""GET /v1/consults/{id}/fhir: a teleconsult as its ServiceRequest and Communications, for its two parties."""

from tests.interop.fhir_check import validated
from tests.security.world import seed_world


async def test_consult_exports_its_request_and_messages_to_its_parties(client, token, mission, db):
    world = await seed_world(client, token, mission.id)
    url = world.path("/v1/consults/{consult_id}/fhir")
    response = await client.get(url, headers=world.headers["clinician"])
    assert response.status == 200, await response.text()
    assert response.content_type == "application/fhir+json"
    res = validated(await response.json())
    [request] = res["ServiceRequest"]
    assert request["id"] == world.ids["consult_id"] and request["status"] == "active"
    assert request["reasonCode"][0]["text"] == "Reduce or evacuate?" and request["priority"] == "routine"
    assert request["code"]["text"] == "orthopaedics consultation"
    [patient] = res["Patient"]
    assert patient["identifier"][0]["value"] == "BRN-4411" and "name" not in patient
    [message] = res["Communication"]
    assert message["payload"] == [{"contentString": "BP falling"}]
    assert message["basedOn"] == [{"reference": f"urn:uuid:{world.ids['consult_id']}"}]
    assert message["sender"]["display"].endswith("(clinician)")

    assert (await client.get(url, headers=world.headers["specialist"])).status == 200
    for outsider in ("admin", "dispatcher", "observer"):
        assert (await client.get(url, headers=world.headers[outsider])).status == 403, outsider
    reads = await db.fetch("SELECT actor FROM audit_log WHERE action = 'patient_details.read' AND entity = 'consult_chat'"
                           " AND after->>'purpose' = 'fhir export'")
    assert len(reads) == 2
