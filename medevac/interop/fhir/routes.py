"""FHIR over HTTP: an evacuation's Bundle, facilities' FHIR endpoints, a mission's sharing choice,
and the outcome of pre-alert pushes."""

import uuid
from datetime import datetime, timezone
from typing import Literal

from aiohttp import web
from pydantic import AnyHttpUrl, BaseModel, Field

from medevac import audit, privacy
from medevac.errors import not_found
from medevac.events import record_change
from medevac.facilities import store as facilities
from medevac.interop import store
from medevac.interop.fhir import export
from medevac.interop.fhir.bundle import evacuation_bundle
from medevac.interop.fhir.consult import consult_bundle
from medevac.missions import store as missions
from medevac.models import Strict
from medevac.telemed import access, chat
from medevac.http.web import Call, RouteTable

routes = RouteTable("fhir")
FHIR_JSON = "application/fhir+json"
# Observers (HQ) get the Bundle without patient details, as on every other read; specialists see
# patients only through the consults offered to them.
READERS = privacy.PATIENT_READERS | {"observer"}
ADMINS = frozenset({"admin"})
CONFIGURERS = frozenset({"admin", "dispatcher"})


def fhir_response(document: dict) -> web.Response:
    return web.json_response(document, content_type=FHIR_JSON)


@routes.get("/v1/evacuations/{evacuation_id}/fhir",
            summary="The evacuation as a FHIR R4B Bundle: Patient, Encounter, ServiceRequest (the 9-line), Task, "
                    "Locations, Organization, MIST-AT Observations, pre-alert Communication",
            roles=READERS, also_produces=(FHIR_JSON,))
async def evacuation_fhir(call: Call) -> web.Response:
    evacuation_id = call.uuid_param("evacuation_id", "evacuation")
    details = call.principal.role in privacy.PATIENT_READERS
    found = await export.sources(call.conn, evacuation_id, details=details)
    if found is None:
        raise not_found("evacuation", evacuation_id)
    call.principal.require_mission(found.evacuation.mission_id)
    if details:
        await audit.record_reads(call.conn, call.principal, [("evacuation", evacuation_id, found.evacuation.mission_id)],
                                 purpose="fhir export")
    return fhir_response(evacuation_bundle(found, kind="collection", now=datetime.now(timezone.utc)))


@routes.get("/v1/consults/{consult_id}/fhir",
            summary="The teleconsult as a FHIR R4B Bundle: its ServiceRequest and one Communication per message",
            roles=frozenset({"clinician", "specialist"}), also_produces=(FHIR_JSON,))
async def consult_fhir(call: Call) -> web.Response:
    consult, _ = await access.party_consult(call)  # the chat is the two parties' alone
    messages = await chat.since(call.conn, consult.id, 0, limit=10_000)
    await privacy.read(call.conn, call.principal, "consult_chat", [(consult.id, consult.mission_id)],
                       purpose="fhir export")
    return fhir_response(consult_bundle(consult, messages, now=datetime.now(timezone.utc)))


class EndpointSet(Strict):
    url: AnyHttpUrl | None = Field(description="the facility's FHIR base URL (pre-alerts are POSTed there); "
                                               "null removes it")


class Endpoint(BaseModel):
    facility_id: str
    url: str | None


@routes.patch("/v1/facilities/{facility_id}/fhir-endpoint",
              summary="Name (or remove) the facility's FHIR endpoint for pre-alerts",
              roles=CONFIGURERS, body=EndpointSet, response=Endpoint)
async def set_endpoint(call: Call) -> Endpoint:
    facility = await call.visible(facilities.get, "facility_id", "facility")
    before = await store.endpoint(call.conn, facility.id)
    url = str(call.body.url) if call.body.url else None
    await store.set_endpoint(call.conn, facility.id, facility.mission_id, url)
    await record_change(call.conn, call.principal, event="facility.fhir_endpoint_set", entity="facility",
                        entity_id=facility.id, mission_id=facility.mission_id, before={"fhir_endpoint": before},
                        after={"fhir_endpoint": url})
    return Endpoint(facility_id=str(facility.id), url=url)


class SharingSet(Strict):
    fhir_patient_names: bool = Field(description="FHIR exports and pre-alerts carry patient names (default: no)")


class Sharing(BaseModel):
    mission_id: str
    fhir_patient_names: bool


@routes.patch("/v1/missions/{mission_id}/interop", summary="What the mission lets leave the service",
              roles=ADMINS, body=SharingSet, response=Sharing)
async def set_sharing(call: Call) -> Sharing:
    mission_id = call.uuid_param("mission_id", "mission")
    call.principal.require_mission(mission_id)
    mission = await missions.get(call.conn, mission_id)
    if mission is None:
        raise not_found("mission", mission_id)
    before = await store.share_names(call.conn, mission.id)
    await store.set_share_names(call.conn, mission.id, call.body.fhir_patient_names)
    await record_change(call.conn, call.principal, event="mission.interop_updated", entity="mission",
                        entity_id=mission.id, mission_id=mission.id, before={"fhir_patient_names": before},
                        after={"fhir_patient_names": call.body.fhir_patient_names})
    return Sharing(mission_id=str(mission.id), fhir_patient_names=call.body.fhir_patient_names)


class PushQuery(Strict):
    mission: uuid.UUID | None = None
    status: Literal["pending", "delivered", "failed"] | None = None


@routes.get("/v1/fhir-pushes", summary="Pre-alert deliveries to facilities' FHIR endpoints (newest first)",
            roles=frozenset({"dispatcher", "admin", "observer", "clinician"}), query=PushQuery)
async def list_pushes(call: Call) -> list:
    mission_id = call.principal.default_mission(call.query.mission)
    return await store.pushes(call.conn, mission_id, call.query.status)
