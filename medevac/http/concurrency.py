"""Optimistic concurrency: `If-Match: "<version>"` (or a `version` field) guards updates."""

from aiohttp import web

from medevac.errors import FieldError, Problem, conflict, invalid



def expected_version(request: web.Request, body_version: int | None, *, required: bool) -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        if body_version is None and required:
            raise Problem(428, "Precondition required", "send If-Match with the version you read",
                          [FieldError("If-Match", "required")])
        return body_version
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise invalid("If-Match", "must be the version (ETag) you read, e.g. \"3\"", status=400)
    return int(tag)


def check_version(current: int, expected: int | None, *, state: object, shows: list[tuple] = ()) -> None:
    """409 with the current state when the client edited a stale copy (`shows`: see `conflict`)."""
    if expected is not None and expected != current:
        raise conflict(f"stale version {expected}; current is {current}", current=state, shows=shows)
