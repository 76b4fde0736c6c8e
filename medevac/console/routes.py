"""The web console: static files at `/console/`, `/` redirects there, and `GET /v1/session`.

The console is plain HTML, CSS and ES modules (no build step, everything vendored: missions
have no internet). Its API operations join the app's route tables here, before they are
installed, so they appear in `/openapi.json` like every other operation.
"""

import uuid
from pathlib import Path

from aiohttp import web
from pydantic import BaseModel, Field

from medevac.auth import ROLES
from medevac.console import extent, mgrs_grid, tiles
from medevac.keys import settings_key
from medevac.http.openapi import api_key
from medevac.http.web import Call, RouteTable

STATIC_DIR = Path(__file__).parent
# Only these folders are served: the Python modules beside them are not.
ASSET_DIRS = ("css", "js", "vendor", "geo")
routes = RouteTable("console")


class Session(BaseModel):
    user: str
    role: str
    mission_id: uuid.UUID | None
    heartbeat_s: float = Field(description="how often the event stream and consult sockets send a heartbeat")
    facility_id: uuid.UUID | None = Field(None, description="the facility the user works at")
    rights: list[str] = Field(default_factory=list)


@routes.get("/v1/session", summary="Who this token belongs to: user, role and mission (for the console)",
            roles=frozenset(ROLES), response=Session)
async def whoami(call: Call) -> Session:
    p = call.principal
    return Session(user=p.user, role=p.role, mission_id=p.mission_id, facility_id=p.facility_id,
                   rights=sorted(p.rights), heartbeat_s=call.request.app[settings_key].heartbeat_s)


async def _to_console(request: web.Request) -> web.StreamResponse:
    return web.Response(status=302, headers={"Location": "/console/"})


async def _index(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


def setup(app: web.Application) -> None:
    """Serve the console; call before the API is installed so its operations are routed."""
    app[api_key].add(routes, tiles.routes, mgrs_grid.routes, extent.routes)
    app.router.add_get("/", _to_console)
    app.router.add_get("/console", _to_console)
    app.router.add_get("/console/", _index)
    for folder in ASSET_DIRS:
        app.router.add_static(f"/console/{folder}/", STATIC_DIR / folder)
