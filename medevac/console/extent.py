"""`GET /v1/map/extent`: the part of the world a mission's map shows.

It is the region the mission can send patients to: every facility of the mission (Level IV cities
abroad included), every aircraft's base and where it is now, with a margin that also holds the
coverage grid's area. The console opens its map on this box and keeps the officer inside it; the
offline ground is loaded for it, wherever on Earth the mission is.
"""

import uuid

from pydantic import BaseModel, Field

from medevac.auth import ROLES
from medevac.dispatch.coverage_routes import MARGIN_DEG
from medevac.errors import invalid
from medevac.http.web import Call, RouteTable

routes = RouteTable("map")


class ExtentQuery(BaseModel):
    mission: uuid.UUID | None = Field(None, description="mission (default: the token's)")


class Extent(BaseModel):
    mission_id: uuid.UUID
    south: float | None = Field(description="edges in degrees; all None while the mission has no facility or aircraft")
    west: float | None
    north: float | None
    east: float | None
    margin_deg: float = Field(MARGIN_DEG, description="added around the outermost places")
    places: int = Field(description="facilities, aircraft bases and aircraft positions inside the box")


_POINTS = """
SELECT lat, lon FROM facilities WHERE mission_id = $1
UNION ALL SELECT base_lat, base_lon FROM assets WHERE mission_id = $1
UNION ALL SELECT lat, lon FROM assets WHERE mission_id = $1
"""


@routes.get("/v1/map/extent", summary="The box a mission's map shows: its facilities (Level IV abroad included), "
                                      "aircraft bases and positions, with a margin", roles=frozenset(ROLES),
            query=ExtentQuery, response=Extent)
async def extent(call: Call) -> Extent:
    mission_id = call.principal.default_mission(call.query.mission)
    if mission_id is None:
        raise invalid("query.mission", "required for a token that spans missions")
    points = await call.conn.fetch(_POINTS, mission_id)
    if not points:
        return Extent(mission_id=mission_id, south=None, west=None, north=None, east=None, places=0)
    lats, lons = [p["lat"] for p in points], [p["lon"] for p in points]
    # The margin stops at the poles and the antimeridian, like the coverage grid's.
    return Extent(mission_id=mission_id, places=len(points),
                  south=max(-90.0, min(lats) - MARGIN_DEG), north=min(90.0, max(lats) + MARGIN_DEG),
                  west=max(-180.0, min(lons) - MARGIN_DEG), east=min(180.0, max(lons) + MARGIN_DEG))
