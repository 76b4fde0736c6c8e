"""Declared operations: one table per resource, parsed and authorised in one place.

Each operation names its roles and its pydantic body, query and response models; the
wrapper authenticates, parses (a 422 names the field), opens the connection (and, for
writes, the transaction), honours `Idempotency-Key`, and serialises the result. The
same declarations generate the OpenAPI document.
"""

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import structlog
from aiohttp import web
from pydantic import BaseModel, ValidationError

from medevac import privacy

from medevac.http import idempotency
from medevac.http.bodies import read_body
from medevac.auth import Principal, authenticate, require_role
from medevac.bounds import load_json
from medevac.errors import FieldError, Problem, invalid, not_found
from medevac.events import record_change
from medevac.keys import limits_key, pool_key, settings_key
from medevac.models import Page, page_of
from medevac.auth import principal_key

ACQUIRE_TIMEOUT_S = 5.0  # past this the database is as good as down: 503, not a hang
JSON_TYPES = ("application/json", "application/problem+json", "application/merge-patch+json")


@dataclass
class Call:
    """What a handler gets: the request, who asked, the parsed input and a connection."""

    request: web.Request
    principal: Principal
    conn: asyncpg.Connection | None
    body: Any = None
    query: Any = None

    def param(self, name: str) -> str:
        return self.request.match_info[name]

    def uuid_param(self, name: str, kind: str) -> uuid.UUID:
        """A path id; one that is not even a UUID is simply not found."""
        raw = self.request.match_info[name]
        try:
            return uuid.UUID(raw)
        except ValueError:
            raise not_found(kind, raw) from None

    async def visible(self, fetch: Callable[..., Awaitable[Any]], param: str, kind: str, **kw: Any) -> Any:
        """The resource named by a path id, if it exists and this token may see its mission."""
        ident = self.uuid_param(param, kind)
        found = await fetch(self.conn, ident, **kw)
        if found is None:
            raise not_found(kind, ident)
        self.principal.require_mission(found.mission_id)
        return found

    def mission_for_create(self, requested: uuid.UUID | None) -> uuid.UUID:
        """The mission a new resource belongs to: the one named (if allowed) or the token's."""
        mission_id = self.principal.default_mission(requested)
        if mission_id is None:
            raise invalid("mission_id", "required for a token that spans missions")
        return mission_id

    async def create(self, insert: Callable[..., Awaitable[Any]], entity: str) -> web.Response:
        """A new resource of a mission from the body: stored by `insert(conn, mission_id, body)`,
        audited and announced as `<entity>.created`, answered 201 with its ETag."""
        mission_id = self.mission_for_create(self.body.mission_id)
        created = await insert(self.conn, mission_id, self.body)
        await record_change(self.conn, self.principal, event=f"{entity}.created", entity=entity,
                            entity_id=created.id, mission_id=mission_id, after=created.model_dump(mode="json"))
        return versioned(created, 201)

    async def page(self, list_for: Callable[..., Awaitable[list]], **filters: Any) -> Page:
        """A page of the mission the query names (or the token's): `list_for(conn, mission_id,
        **filters, after=, limit=)` reads one row more than the page, to tell whether another follows."""
        q = self.query
        rows = await list_for(self.conn, self.principal.default_mission(q.mission), **filters,
                              after=q.after_id(), limit=q.limit + 1)
        return page_of(rows, q.limit)


Handler = Callable[[Call], Awaitable[Any]]


@dataclass
class Operation:
    method: str
    path: str
    handler: Handler
    summary: str
    roles: frozenset[str]
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    idempotent: bool = False
    stream: bool = False  # long-lived response: the handler manages its own connections
    database: bool = True  # False: the handler reads no table, so no pooled connection is taken for it
    extra_responses: dict[int, str] = field(default_factory=dict)
    also_produces: tuple[str, ...] = ()  # media types the 2xx may take besides JSON (e.g. text/csv)
    raw_body: dict[str, Any] = field(default_factory=dict)  # media type → type of a body the handler reads itself
    body_limit: str = "max_body_bytes"  # the setting that caps this operation's body
    # (entity, purpose) when every 2xx body shows that entity's patient details: a replay is a read too
    shows: tuple[str, str] | None = None


def validation_problem(exc: ValidationError, prefix: str = "") -> Problem:
    errors = [
        FieldError(prefix + ".".join(str(p) for p in err["loc"]) or "body", err["msg"])
        for err in exc.errors(include_url=False)
    ]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    return Problem(422, "Invalid request", detail, errors)


async def read_json(request: web.Request) -> Any:
    ctype = request.content_type
    if ctype not in JSON_TYPES:
        raise Problem(415, "Unsupported media type", f"send application/json, not {ctype or 'nothing'}",
                      [FieldError("Content-Type", "must be application/json")])
    raw = await read_body(request)
    try:
        value = load_json(raw)
    except UnicodeDecodeError:
        raise Problem(400, "Malformed JSON", "body is not UTF-8", [FieldError("body", "not UTF-8")])
    except (ValueError, RecursionError) as exc:
        raise Problem(400, "Malformed JSON", f"body is not valid JSON: {exc}", [FieldError("body", "not JSON")])
    if UNSTORABLE_MARK.search(raw):  # only then is a walk worth it: PostgreSQL text cannot hold these
        bad = unstorable(value)
        if bad is not None:
            raise invalid(bad.field or "body", bad.message)
    return value


# A NUL or a UTF-16 surrogate half as a JSON escape: the only ways JSON text can carry them.
UNSTORABLE_MARK = re.compile(rb"\\u(0000|[dD][89a-fA-F])")
MAX_DEPTH = 64  # far past any document of ours; deeper input is refused before anything walks it


def unstorable(value: Any, max_depth: int = MAX_DEPTH) -> FieldError | None:
    """The first string (or key) PostgreSQL text cannot hold, named by its path as pydantic names
    it (`casualties.0.name`), or a nesting deeper than `max_depth`. Iterative: no recursion."""
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return FieldError(path, problem)
            continue
        if depth >= max_depth and isinstance(item, (dict, list)):
            return FieldError(path, f"nested more than {max_depth} levels deep")
        pairs = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        for key, inner in reversed(list(pairs)):
            inner_path = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (problem := text_problem(key)):
                return FieldError(inner_path, problem)
            stack.append((inner_path, inner, depth + 1))
    return None


def text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "contains a lone surrogate (not valid Unicode text)"
    return None


def parse(model: type[BaseModel], value: Any, prefix: str = "") -> BaseModel:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise validation_problem(exc, prefix) from None


def parse_query(model: type[BaseModel], request: web.Request) -> BaseModel:
    for name, value in request.query.items():
        if "\x00" in value:
            raise invalid(f"query.{name}", "contains a NUL character")
    return parse(model, dict(request.query), prefix="query.")


def respond(result: Any, status: int) -> web.StreamResponse:
    if isinstance(result, web.StreamResponse):
        return result
    if result is None:
        return web.Response(status=204)
    return web.json_response(body=to_json(result), status=status)


def versioned(model: BaseModel, status: int = 200) -> web.Response:
    """A resource with its ETag, so the client can send it back as If-Match."""
    return web.json_response(body=model.model_dump_json(), status=status,
                             headers={"ETag": f'"{model.version}"'})


def to_json(result: Any) -> str:
    if isinstance(result, BaseModel):
        return result.model_dump_json()
    return json.dumps(result, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return str(value)


class RouteTable:
    """The operations of one resource, declared with decorators."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.operations: list[Operation] = []

    def route(self, method: str, path: str, *, summary: str, roles: frozenset[str], **kw: Any):
        def decorate(handler: Handler) -> Handler:
            self.operations.append(Operation(method, path, handler, summary, roles, self.tag, **kw))
            return handler

        return decorate

    def get(self, path: str, **kw: Any):
        return self.route("GET", path, **kw)

    def post(self, path: str, **kw: Any):
        return self.route("POST", path, **kw)

    def patch(self, path: str, **kw: Any):
        return self.route("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any):
        return self.route("DELETE", path, **kw)

    def install(self, app: web.Application) -> None:
        for op in self.operations:
            app.router.add_route(op.method, op.path, _wrap(op))


def _wrap(op: Operation) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def endpoint(request: web.Request) -> web.StreamResponse:
        principal = await authenticate(request)
        limits = request.app[limits_key]
        limits.calls.check(principal.user, "too many calls")
        if op.method == "POST" and op.status == 201:
            limits.creates.check(principal.user, "too many creations")
        request[principal_key] = principal
        structlog.contextvars.bind_contextvars(user=principal.user, role=principal.role,
                                               mission=str(principal.mission_id))
        require_role(principal, op.roles)
        query = parse_query(op.query, request) if op.query else None
        body = parse(op.body, await read_json(request)) if op.body else None
        if op.raw_body:  # read here, not in the handler: no pool connection waits on a slow client
            await read_body(request, getattr(request.app[settings_key], op.body_limit))
        if op.stream:
            return await op.handler(Call(request, principal, None, body, query))
        if not op.database:
            return respond(await op.handler(Call(request, principal, None, body, query)), op.status)
        async with request.app[pool_key].acquire(timeout=ACQUIRE_TIMEOUT_S) as conn:
            try:
                return await _run(op, Call(request, principal, conn, body, query))
            except Problem as problem:  # after the rollback: what the error body shows is still a read
                await privacy.problem_shown(conn, principal, problem)
                raise

    endpoint.__name__ = op.handler.__name__
    return endpoint


async def _run(op: Operation, call: Call) -> web.StreamResponse:
    """The handler on the call's connection: reads as they are, writes in a transaction with their
    Idempotency-Key honoured."""
    if op.method == "GET":
        return respond(await op.handler(call), op.status)
    request, conn, principal = call.request, call.conn, call.principal
    async with conn.transaction():
        key = request.headers.get("Idempotency-Key") if op.idempotent else None
        if key:
            replay = await idempotency.claim(conn, principal.user, key, request, call.body)
            if replay is not None:
                if op.shows:
                    await privacy.replayed(conn, principal, replay, entity=op.shows[0], purpose=op.shows[1],
                                           always=True)
                return replay
        response = respond(await op.handler(call), op.status)
        if key:
            await idempotency.store(conn, principal.user, key, response)
        return response
