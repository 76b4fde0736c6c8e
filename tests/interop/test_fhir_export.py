"""GET /v1/evacuations/{id}/fhir: a completed evacuation as a FHIR R4B Bundle that validates and carries
every 9-line and MIST-AT field we hold; reads audited, scoped to mission and role."""

from tests.interop.conftest import MIST
from tests.interop.fhir_check import validated

LIFECYCLE = ["airborne", "at_pickup", "loaded", "handed_over", "complete"]


async def _complete(client, token, evacuation: dict) -> None:
    crew = await token("field")
    for state in LIFECYCLE:
        moved = await client.post(f"/v1/evacuations/{evacuation['id']}/transitions", json={"to": state}, headers=crew)
        assert moved.status == 200, await moved.text()


def _detail(service_request: dict, line: int) -> dict:
    [found] = [d for d in service_request["orderDetail"]
               if {"system": "urn:medevac:nine-line", "code": str(line)}.items() <= d["coding"][0].items()]
    return found


def _codes(concept: dict, system: str) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c["system"] == system]


async def test_completed_evacuation_exports_every_line_and_mist_at(client, token, task_evacuation, theatre, db):
    request, evacuation = await task_evacuation(client)
    await _complete(client, token, evacuation)
    reader = await token("clinician", user="dr-kone")
    response = await client.get(f"/v1/evacuations/{evacuation['id']}/fhir", headers=reader)
    assert response.status == 200, await response.text()
    assert response.content_type == "application/fhir+json"
    res = validated(await response.json())

    [sr] = res["ServiceRequest"]
    assert sr["priority"] == "stat" and sr["status"] == "completed" and sr["id"] == request["id"]
    assert "MGRS 34NFN1607529652" in _detail(sr, 1)["text"]
    assert "38.90 DUSTOFF 6" in _detail(sr, 2)["text"]
    assert _codes(_detail(sr, 3), "urn:medevac:nine-line:line-3") == ["A", "B"]
    assert _codes(_detail(sr, 4), "urn:medevac:nine-line:line-4") == ["A"]
    assert "2 litter, 0 ambulatory" in _detail(sr, 5)["text"]
    assert _codes(_detail(sr, 6), "urn:medevac:nine-line:line-6") == ["N"]
    assert _codes(_detail(sr, 7), "urn:medevac:nine-line:line-7") == ["C"] and "GREEN" in _detail(sr, 7)["text"]
    assert _codes(_detail(sr, 8), "urn:medevac:nine-line:line-8") == ["C"] and "x2" in _detail(sr, 8)["text"]
    assert _detail(sr, 9)["text"].endswith("none")
    assert sr["note"][0]["text"].startswith("As radioed: 9-LINE MEDEVAC REQUEST")

    patients = res["Patient"]
    assert len(patients) == 2 and all("name" not in p for p in patients)
    assert all(p["meta"]["security"][0]["code"] == "PSEUDED" for p in patients)
    assert {p["identifier"][0]["system"] for p in patients} == {f"urn:medevac:mission:{theatre['mission'].id}:casualty"}
    encounters = res["Encounter"]
    assert {e["class"]["code"] for e in encounters} == {"EMER"} and {e["status"] for e in encounters} == {"finished"}
    assert sorted(_codes(e["priority"], "urn:medevac:nine-line:precedence")[0] for e in encounters) == ["A", "B"]

    [task] = res["Task"]
    assert task["status"] == "completed" and task["businessStatus"]["coding"][0]["code"] == "complete"
    assert [o["type"]["coding"][0]["code"] for o in task["output"]] == ["tasked"] + LIFECYCLE
    provenance = res["Provenance"]
    assert [p["activity"]["coding"][0]["code"] for p in provenance] == ["tasked"] + LIFECYCLE
    assert len(task["relevantHistory"]) == 6
    [org] = res["Organization"]
    assert org["name"] == "Bria Level II" and _codes(org["type"][0], "urn:medevac:un-level") == ["2"]
    assert sorted(loc["name"] for loc in res["Location"]) == ["Bria Level II", "Pickup site 34NFN1607529652"]

    mechanisms = {o["valueString"]: o["subject"] for o in res["Observation"] if o["code"]["coding"][0]["code"] == "mechanism"}
    assert sorted(mechanisms) == ["IED blast", "fall"]
    first, second = ({(o["code"]["coding"][0]["system"], o["code"]["coding"][0]["code"]): o
                      for o in res["Observation"] if o["subject"] == mechanisms[m]} for m in ("IED blast", "fall"))
    assert first[("http://loinc.org", "8867-4")]["valueQuantity"]["value"] == 130
    assert first[("http://loinc.org", "59408-5")]["valueQuantity"]["value"] == 91
    bp = first[("http://loinc.org", "85354-9")]
    assert [c["valueQuantity"]["value"] for c in bp["component"]] == [85, 50]
    assert first[("urn:medevac:mist-at", "vital/avpu")]["valueString"] == "V"
    assert first[("urn:medevac:mist-at", "mechanism")]["effectiveDateTime"].startswith("2026-03-01T05:45")
    assert first[("urn:medevac:mist-at", "injuries")]["valueString"] == MIST[0]["injuries"]
    assert first[("urn:medevac:mist-at", "signs")]["valueString"] == "pale, conscious"
    assert first[("http://loinc.org", "30525-0")]["valueQuantity"]["value"] == 27
    assert first[("urn:medevac:mist-at", "time_of_injury")]["valueDateTime"].startswith("2026-03-01T05:45")
    assert second[("urn:medevac:mist-at", "injuries")]["valueString"] == MIST[1]["injuries"]
    assert second[("http://loinc.org", "30525-0")]["valueQuantity"]["value"] == 33
    [procedure] = res["Procedure"]
    assert procedure["code"]["text"] == "tourniquet left thigh" and procedure["performedDateTime"].startswith("2026-03-01T05:50")
    [prealert] = res["Communication"]
    assert prealert["category"][0]["coding"][0]["code"] == "alert"
    assert prealert["recipient"][0]["reference"] == f"urn:uuid:{org['id']}"
    assert any("M: IED blast" in p["contentString"] for p in prealert["payload"])

    reads = await db.fetch("SELECT actor, after FROM audit_log WHERE action = 'patient_details.read' AND entity_id = $1",
                           evacuation["id"])
    assert [(r["actor"], r["after"]["purpose"]) for r in reads] == [("dr-kone", "fhir export")]


async def test_names_leave_only_when_the_mission_allows(client, token, task_evacuation, theatre):
    _, evacuation = await task_evacuation(client)
    admin = await token("admin")
    allowed = await client.patch(f"/v1/missions/{theatre['mission'].id}/interop", json={"fhir_patient_names": True},
                                 headers=admin)
    assert allowed.status == 200, await allowed.text()
    res = validated(await (await client.get(f"/v1/evacuations/{evacuation['id']}/fhir", headers=admin)).json())
    named = [p for p in res["Patient"] if "name" in p]
    assert [p["name"][0]["text"] for p in named] == ["Sgt Amadou Diallo"] and "meta" not in named[0]


async def test_observers_get_no_patient_details_and_others_nothing(client, token, task_evacuation, db, mission):
    _, evacuation = await task_evacuation(client)
    url = f"/v1/evacuations/{evacuation['id']}/fhir"
    res = validated(await (await client.get(url, headers=await token("observer"))).json())
    assert "Observation" not in res and "Procedure" not in res and "note" not in res["ServiceRequest"][0]
    assert all("IED" not in p.get("contentString", "") for p in res["Communication"][0]["payload"])
    assert (await client.get(url, headers=await token("specialist"))).status == 403
    from medevac.missions import store as missions
    from medevac.missions.model import MissionCreate
    other = await missions.create(db, MissionCreate(name="Other mission"))
    assert (await client.get(url, headers=await token("dispatcher", mission_id=other.id))).status == 403
    missing = await client.get("/v1/evacuations/00000000-0000-0000-0000-000000000000/fhir",
                               headers=await token("dispatcher"))
    assert missing.status == 404 and missing.content_type == "application/problem+json"


async def test_nato_wording_and_reported_injury_time_are_exported(client, token, theatre):
    from tests.dispatch.conftest import NATO_WORDING

    field, dispatcher = await token("field"), await token("dispatcher")
    created = await client.post("/v1/evac-requests", headers=field,
                                json={"text": NATO_WORDING, "injured_at": "2026-03-01T05:40:00Z"})
    assert created.status == 201, await created.text()
    request = await created.json()
    approved = await client.post(f"/v1/evac-requests/{request['id']}/approve", headers=dispatcher, json={
        "asset_id": str(theatre["helos"][0].id), "facility_id": str(theatre["level_ii"].id), "accept_warnings": True})
    assert approved.status == 201, await approved.text()
    res = validated(await (await client.get(f"/v1/evacuations/{(await approved.json())['id']}/fhir",
                                            headers=dispatcher)).json())
    [sr] = res["ServiceRequest"]
    assert _detail(sr, 1)["text"].endswith("; LZ EAGLE")
    assert [loc["description"] for loc in res["Location"] if "description" in loc] == ["LZ EAGLE"]
    assert "45.500 WARHORSE 21" in _detail(sr, 2)["text"]
    assert _detail(sr, 6)["text"].endswith("wounds: 1 GSW LEG, 1 FRACTURE")
    assert _codes(_detail(sr, 7), "urn:medevac:nine-line:line-7") == ["A"] and "ORANGE" in _detail(sr, 7)["text"]
    assert _codes(_detail(sr, 8), "urn:medevac:nine-line:line-8") == ["C"] and "x2; BANGLADESHI" in _detail(sr, 8)["text"]
    assert _detail(sr, 9)["text"].endswith("terrain: FLAT OPEN FIELD")
    injured = [o for o in res["Observation"] if o["code"]["coding"][0]["code"] == "time_of_injury"]
    assert len(injured) == 2 and {o["valueDateTime"] for o in injured} == {"2026-03-01T05:40:00+00:00"}
