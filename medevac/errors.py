"""Errors a client can act on, and how each becomes an RFC 9457 problem+json response.

Domain code raises `DomainError`s (a rule refused the input; it knows nothing of HTTP); the
problem middleware alone maps them, with the shell's own `Problem`s, to problem+json.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class Problem(Exception):
    """An error a client can act on: status, a short title, detail and the fields at fault."""

    status: int
    title: str
    detail: str = ""
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # (entity, id, mission) whose patient details `extra` shows: audited even though the change rolls back
    shows: list[tuple] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    def body(self, instance: str) -> dict[str, Any]:
        slug = self.title.lower().replace(" ", "-")
        out: dict[str, Any] = {
            "type": f"https://medevac.invalid/problems/{slug}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail or self.title,
            "instance": instance,
        }
        if self.errors:
            out["errors"] = [e.as_dict() for e in self.errors]
        return self.extra | out  # extension members never overwrite the standard ones (RFC 9457)


def invalid(field_name: str, message: str, status: int = 422) -> Problem:
    """A single-field validation problem."""
    return Problem(status, "Invalid request", f"{field_name}: {message}", [FieldError(field_name, message)])


def not_found(kind: str, ident: object) -> Problem:
    return Problem(404, "Not found", f"no {kind} {ident}")


def conflict(detail: str, *, shows: list[tuple] = (), **extra: Any) -> Problem:
    """409; `shows` names the records whose patient details the body's extension members carry."""
    return Problem(409, "Conflict", detail, extra=extra, shows=list(shows))


def forbidden(detail: str) -> Problem:
    return Problem(403, "Forbidden", detail)


def unauthorized(detail: str) -> Problem:
    return Problem(401, "Unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="medevac"'})


class DomainError(Exception):
    """A domain rule refused the input: a 422 naming the fields at fault, once mapped by the middleware."""

    title = "Invalid request"

    def __init__(self, detail: str, errors: list[FieldError] = (), **extra: Any) -> None:
        super().__init__(detail)
        self.detail, self.errors, self.extra = detail, list(errors), extra

    def problem(self) -> Problem:
        return Problem(422, self.title, self.detail, list(self.errors), extra=dict(self.extra))


class ConfirmationRequired(DomainError):
    """The choice can fly but is worse than the recommendation: resend with `accept_warnings`."""

    title = "Confirmation required"

    def __init__(self, warnings: list[dict[str, Any]], *, name_field: bool = True) -> None:
        errors = [FieldError("accept_warnings", w["message"]) for w in warnings] if name_field else []
        super().__init__("; ".join(w["message"] for w in warnings), errors, warnings=warnings)
