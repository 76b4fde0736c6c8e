"""Request context, logging, metrics and error translation: one place for each."""

import re
import time
import uuid

import asyncpg
import structlog
from aiohttp import web

from medevac.db import UNAVAILABLE as DB_UNAVAILABLE
from medevac.errors import DomainError, Problem
from medevac.keys import metrics_key

log = structlog.get_logger(__name__)



REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
CLIENT_CLOSED = 499  # nginx's "client closed request": counted apart from the service's own errors


def client_gone(request: web.Request, exc: BaseException) -> bool:
    """A write to a client that has already gone (a console closed, a stream ended at shutdown):
    a ConnectionResetError like the database's, told apart by the client's own socket."""
    return isinstance(exc, ConnectionResetError) and (request.transport is None or request.transport.is_closing())


def route_template(request: web.Request) -> str:
    """The route as declared (`/v1/assets/{id}`), never the concrete path: bounded labels."""
    info = request.match_info.route.resource
    return info.canonical if info is not None else "unmatched"


def problem_response(problem: Problem, request: web.Request) -> web.Response:
    return web.json_response(
        problem.body(request.path),
        status=problem.status,
        content_type="application/problem+json",
        headers=problem.headers,
    )


def translate(exc: BaseException) -> Problem | None:
    """The problem a client can act on for this exception; None when it is the service's own fault."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, DomainError):
        return exc.problem()
    if isinstance(exc, web.HTTPException) and exc.status >= 400:
        return Problem(exc.status, exc.reason, exc.text if exc.text and exc.text != exc.reason else "")
    if isinstance(exc, asyncpg.UniqueViolationError):
        return Problem(409, "Conflict", f"already exists: {exc.detail or exc}")
    if isinstance(exc, (asyncpg.ForeignKeyViolationError, asyncpg.CheckViolationError)):
        return Problem(422, "Invalid request", exc.detail or str(exc))
    # A value PostgreSQL cannot hold (NUL, out of range), or one asyncpg cannot even encode (its
    # client-side DataError is an InterfaceError and a ValueError): the input's fault, not the database's.
    if isinstance(exc, asyncpg.DataError) or (isinstance(exc, asyncpg.InterfaceError) and isinstance(exc, ValueError)):
        return Problem(422, "Invalid request", f"a value is out of range or not storable: {exc}")
    if isinstance(exc, DB_UNAVAILABLE):
        return Problem(503, "Service unavailable", "the database is unreachable; retry shortly",
                       headers={"Retry-After": "5"})
    return None


@web.middleware
async def context_middleware(request: web.Request, handler) -> web.StreamResponse:
    """Bind a request id, time the request, log it and count it by route template."""
    request_id = request.headers.get("X-Request-ID", "")
    if not REQUEST_ID.fullmatch(request_id):  # it is logged: a client's id, never its arbitrary text
        request_id = uuid.uuid4().hex
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id, route=route_template(request))
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers["X-Request-ID"] = request_id
        return response
    except ConnectionResetError as exc:
        if client_gone(request, exc):
            status = CLIENT_CLOSED
        raise
    finally:
        elapsed = time.perf_counter() - started
        request.app[metrics_key].observe_http(request.method, route_template(request), status, elapsed)
        log.info("http.request", method=request.method, status=status, duration_ms=round(elapsed * 1000, 1))


@web.middleware
async def problem_middleware(request: web.Request, handler) -> web.StreamResponse:
    """Every error leaves as application/problem+json; a 500 is logged with its traceback."""
    try:
        return await handler(request)
    except Exception as exc:  # noqa: BLE001 - translated or reported, never swallowed
        if client_gone(request, exc):
            raise  # nobody to answer, and not the database's doing (aiohttp drops it quietly)
        problem = translate(exc)
        if problem is None:
            log.exception("http.unhandled_error")
            problem = Problem(500, "Internal server error", "an unexpected error was logged")
        elif problem.status == 503:
            log.warning("http.database_unavailable", error=type(exc).__name__)
        return problem_response(problem, request)
