"""From what the radio operator sent (JSON or radio text) to a parsed 9-line and casualty records.

Parsing is the pure `nineline` parser's (the problem middleware answers its `NineLineError` with
a 422 naming the line); this module only reads the HTTP body, gives the parser the mission's area
when a grid came without its zone, and turns counts per precedence and type into one casualty
record per patient.
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from aiohttp import web

from medevac.http import bodies
from medevac.bounds import in_era, load_json
from medevac.dispatch.nineline import LineProblem, NineLine, NineLineError, parse_structured, parse_text
from medevac.dispatch.nineline.nationality import SAY_CATEGORY
from medevac.dispatch.requests.model import CasualtyIntake, Intake
from medevac.errors import DomainError, FieldError, Problem

# Clocks on a radio operator's laptop drift: a few minutes ahead is not a time in the future.
CLOCK_SKEW = timedelta(minutes=2)
# Keys of the JSON envelope that are ours, not the 9-line's.
ENVELOPE = ("mission_id", "injured_at", "text")
JSON_TYPES = ("application/json", "application/merge-patch+json")


def bad_envelope(field: str, message: str) -> DomainError:
    return DomainError(f"{field}: {message}", [FieldError(field, message)])


async def read_body(request: web.Request) -> tuple[str, dict[str, Any]]:
    """The raw body and our envelope: text/plain is radio text; JSON is structured or {"text": ...}."""
    raw = await bodies.read_body(request)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "Malformed body", "body is not UTF-8", [FieldError("body", "not UTF-8")]) from None
    ctype = request.content_type
    if ctype == "text/plain" or (ctype in ("", "application/octet-stream") and not text.lstrip().startswith("{")):
        return text, {"text": text}
    if ctype not in JSON_TYPES + ("", "application/octet-stream"):
        raise Problem(415, "Unsupported media type", "send application/json or text/plain",
                      [FieldError("Content-Type", "application/json or text/plain")])
    try:
        body = load_json(text)
    except (ValueError, RecursionError) as exc:
        raise Problem(400, "Malformed JSON", f"body is not valid JSON: {exc}", [FieldError("body", "not JSON")])
    if not isinstance(body, dict):
        raise bad_envelope("body", "a 9-line object, or {\"text\": radio text}")
    return text, body


Area = list[tuple[float, float]]


def parse(body: dict[str, Any], area: Area | None = None) -> tuple[NineLine, str | None]:
    """The 9-line in the body, and its radio text when it came as one."""
    if "text" in body:
        text = body["text"]
        if not isinstance(text, str):
            raise bad_envelope("text", "must be the radio text as a string")
        parsed = parse_text(text, area)
        if body.get("mist_at") is not None:  # MIST-AT notes travel beside the radio text
            parsed = parse_structured(parsed.model_dump(mode="json") | {"mist_at": body["mist_at"]})
        return parsed, text
    return parse_structured({k: v for k, v in body.items() if k not in ENVELOPE}, area), None


async def parse_placed(body: dict[str, Any], area: Callable[[], Awaitable[Area]]) -> tuple[NineLine, str | None]:
    """`parse`, reading the mission's `area` only for a grid sent without its zone: most calls
    give the zone and cost no query for it."""
    try:
        return parse(body)
    except NineLineError as error:
        if not error.zone_missing:
            raise
    return parse(body, await area())


def envelope_time(body: dict[str, Any], field: str = "injured_at") -> datetime | None:
    value = body.get(field)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise bad_envelope(field, "an ISO 8601 time with its offset") from None
    if parsed.tzinfo is None:
        raise bad_envelope(field, "give the time zone offset (e.g. Z)")
    try:
        in_era(parsed)
    except ValueError as error:
        raise bad_envelope(field, str(error)) from None
    return not_in_future(parsed, field)


def not_in_future(when: datetime | None, field: str = "injured_at") -> datetime | None:
    if when is not None and when > datetime.now(timezone.utc) + CLOCK_SKEW:
        raise bad_envelope(field, f"time of injury {when.astimezone(timezone.utc):%d %b %H:%MZ} is in the future; "
                                  "give the time it happened, or leave it empty if unknown")
    return when


def within_mission_limit(nl: NineLine, maximum: int) -> None:
    """A count beyond the mission's largest 9-line is most likely a typing error (99 for 9)."""
    total = nl.precedence.total
    if total > maximum:
        message = (f"{total} patients is more than this mission's largest 9-line ({maximum}); check the count, "
                   "or send the casualties as several 9-lines")
        raise NineLineError([LineProblem(line=3, field="precedence", message=message)])


def envelope_mission(body: dict[str, Any]) -> uuid.UUID | None:
    value = body.get("mission_id")
    try:
        return None if value is None else uuid.UUID(str(value))
    except ValueError:
        raise bad_envelope("mission_id", "not a mission id") from None


def casualties(nl: NineLine) -> list[CasualtyIntake]:
    """One record per patient: most urgent first, litters to the most urgent, MIST-AT in order."""
    precedences = [p for p in "ABCDE" for _ in range(getattr(nl.precedence, p))]
    litters = nl.patients_by_type.litter
    out = []
    for i, precedence in enumerate(precedences):
        mist = nl.mist_at[i] if i < len(nl.mist_at) else None
        out.append(CasualtyIntake(
            precedence=precedence, patient_type="litter" if i < litters else "ambulatory",
            mist=mist.model_dump(mode="json") if mist else None,
            injured_at=mist.time_of_injury if mist else None,
        ))
    return out


def to_intake(nl: NineLine, injured_at: datetime | None) -> Intake:
    records = casualties(nl)
    injuries = [c.injured_at for c in records if c.injured_at] + ([injured_at] if injured_at else [])
    nationality = ", ".join(f"{SAY_CATEGORY[g.category] if g.category else g.status}{f' x{g.count}' if g.count else ''}"
                            for g in nl.nationality)
    terrain = nl.terrain or (("CBRN " + ",".join(nl.cbrn)) if nl.cbrn else ("CBRN none" if nl.cbrn == [] else None))
    return Intake(
        pickup={"lat": nl.location.lat, "lon": nl.location.lon}, grid=nl.location.grid,
        frequency=nl.radio.frequency, callsign=nl.radio.call_sign, special_equipment=nl.special_equipment,
        security=nl.security, marking=nl.marking.method if nl.marking else None,
        nationality=nationality or nl.nationality_note, terrain=terrain,
        injured_at=min(injuries) if injuries else None,
        nine_line=nl.model_dump(mode="json"), casualties=records,
    )
