"""`/v1/assets`: the aviation and ambulance board."""

from datetime import datetime, timezone

from aiohttp import web

from medevac.auth import ROLES
from medevac.http.boards import board_cache_key, page_json
from medevac.http.concurrency import check_version, expected_version
from medevac.dispatch.assets import store
from medevac.dispatch.assets.model import Asset, AssetCreate, AssetPatch, AssetQuery
from medevac.events import record_change
from medevac.models import Page, encode_cursor
from medevac.http.web import Call, RouteTable, versioned

routes = RouteTable("assets")
EVERYONE = frozenset(ROLES)
OPERATORS = frozenset({"admin", "dispatcher"})


async def visible_asset(call: Call) -> Asset:
    return await call.visible(store.get, "asset_id", "asset")


@routes.post("/v1/assets", summary="Register an asset", roles=OPERATORS, body=AssetCreate,
             response=Asset, status=201, idempotent=True)
async def create_asset(call: Call) -> web.Response:
    return await call.create(store.create, "asset")


@routes.get("/v1/assets", summary="List assets (filter by mission, status, kind)", roles=EVERYONE,
            query=AssetQuery, response=Page[Asset])
async def list_assets(call: Call) -> web.Response:
    q = call.query
    rows = await store.list_rows(call.conn, call.principal.default_mission(q.mission), status=q.status,
                                 kind=q.kind, after=q.after_id(), limit=q.limit + 1)
    more, rows = len(rows) > q.limit, rows[:q.limit]
    # Trackers move a few assets at a time: the rest of the board is JSON already (medevac/http/boards.py).
    fragments = call.request.app[board_cache_key].fragments
    shown = [fragments.encoded(("asset", r["id"], r["fingerprint"]), lambda r=r: store.asset(r)) for r in rows]
    return web.json_response(body=page_json(shown, encode_cursor(rows[-1]["id"]) if more and rows else None))


@routes.get("/v1/assets/{asset_id}", summary="Read an asset", roles=EVERYONE, response=Asset)
async def get_asset(call: Call) -> web.Response:
    return versioned(await visible_asset(call))


@routes.patch("/v1/assets/{asset_id}", summary="Report status or position (If-Match required)",
              roles=OPERATORS, body=AssetPatch, response=Asset,
              extra_responses={409: "stale version", 428: "If-Match missing"})
async def patch_asset(call: Call) -> web.Response:
    current = await visible_asset(call)
    expected = expected_version(call.request, call.body.version, required=True)
    check_version(current.version, expected, state=current.model_dump(mode="json"))
    body = call.body
    position = None
    if body.position is not None:
        position = (body.position.lat, body.position.lon, body.position_at or datetime.now(timezone.utc))
    updated = await store.update_if_version(call.conn, current.id, expected, status=body.status, position=position)
    if updated is None:  # changed between our read and our write
        latest = await store.get(call.conn, current.id)
        check_version(latest.version, expected, state=latest.model_dump(mode="json"))
    await record_change(call.conn, call.principal, event="asset.updated", entity="asset",
                        entity_id=current.id, mission_id=current.mission_id,
                        before=current.model_dump(mode="json"), after=updated.model_dump(mode="json"))
    return versioned(updated)
