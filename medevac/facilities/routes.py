"""`/v1/facilities`: the medical facility board."""

from aiohttp import web

from medevac.auth import ROLES
from medevac.http.concurrency import check_version, expected_version
from medevac.errors import forbidden, invalid
from medevac.events import record_change
from medevac.facilities import store
from medevac.facilities.model import Facility, FacilityCreate, FacilityPatch, FacilityQuery
from medevac.models import Page
from medevac.http.web import Call, RouteTable, versioned

routes = RouteTable("facilities")
EVERYONE = frozenset(ROLES)
REGISTRARS = frozenset({"admin", "dispatcher"})
# Facility staff (clinicians) report their own beds and status.
REPORTERS = frozenset({"admin", "dispatcher", "clinician"})


def require_reporter(principal, facility: Facility) -> None:
    """Clinicians report for their own facility; for another one they need the `facilities` right.
    Admins and dispatchers (the mission's coordination cell, taking reports by radio) report for all."""
    if principal.role != "clinician" or principal.facility_id == facility.id or "facilities" in principal.rights:
        return
    raise forbidden(f"you may report only for your own facility, not {facility.name}; ask an administrator "
                    "for the 'facilities' right")


async def visible_facility(call: Call, *, for_update: bool = False) -> Facility:
    return await call.visible(store.get, "facility_id", "facility", for_update=for_update)


@routes.post("/v1/facilities", summary="Register a facility", roles=REGISTRARS, body=FacilityCreate,
             response=Facility, status=201, idempotent=True)
async def create_facility(call: Call) -> web.Response:
    return await call.create(store.create, "facility")


@routes.get("/v1/facilities", summary="List facilities (filter by mission, status, level)",
            roles=EVERYONE, query=FacilityQuery, response=Page[Facility])
async def list_facilities(call: Call) -> Page[Facility]:
    return await call.page(store.list_for, status=call.query.status, level=call.query.level)


@routes.get("/v1/facilities/{facility_id}", summary="Read a facility", roles=EVERYONE, response=Facility)
async def get_facility(call: Call) -> web.Response:
    return versioned(await visible_facility(call))


@routes.patch("/v1/facilities/{facility_id}", summary="Report status, beds or capabilities",
              roles=REPORTERS, body=FacilityPatch, response=Facility)
async def patch_facility(call: Call) -> web.Response:
    current = await visible_facility(call, for_update=True)
    require_reporter(call.principal, current)
    expected = expected_version(call.request, call.body.version, required=False)
    check_version(current.version, expected, state=current.model_dump(mode="json"))
    changes = call.body.model_dump(exclude_unset=True, exclude_none=True, exclude={"version"})
    beds = changes.get("beds", current.beds)
    if changes.get("usable_beds", current.usable_beds) > beds:
        raise invalid("usable_beds", f"cannot exceed beds ({beds})")
    updated = await store.update(call.conn, current, changes)
    await record_change(call.conn, call.principal, event="facility.updated", entity="facility",
                        entity_id=current.id, mission_id=current.mission_id,
                        before=current.model_dump(mode="json"), after=updated.model_dump(mode="json"))
    return versioned(updated)
