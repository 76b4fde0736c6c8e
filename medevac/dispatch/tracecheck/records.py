"""Read a scenario file and a trace (DESIGN.md §4) into plain records for the checker.

The scenario is read from its JSON by the contract's field names, not through the engine's
models, so the checker stays an independent witness of what the engine wrote.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel


class ScenarioError(ValueError):
    """The scenario file cannot be read as DESIGN.md §4 describes it."""


class Violation(BaseModel):
    """One broken rule: `kind` names the rule, `line` the trace line (1-based) that broke it."""

    kind: str
    line: int | None
    subject: str
    message: str


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Leg:
    line: int
    asset: str
    origin: Point
    destination: Point
    depart: datetime
    arrive: datetime
    onboard: tuple[str, ...]
    escorting: str | None = None  # the carrier this leg covers, when it flies as an escort


@dataclass(frozen=True)
class Handover:
    line: int
    casualty: str
    facility: str
    at: datetime


@dataclass
class Trace:
    legs: list[Leg] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    dispatches: int = 0
    malformed: list[Violation] = field(default_factory=list)


@dataclass(frozen=True)
class Theatre:
    """The scenario facts the checker needs, keyed by id."""

    facilities: dict[str, dict[str, Any]]
    assets: dict[str, dict[str, Any]]
    casualties: dict[str, dict[str, Any]]
    road_factor: float
    load_min: float = 10.0


def moment(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time without a zone: {text!r}")
    return parsed


def point(value: dict[str, Any]) -> Point:
    return Point(float(value["lat"]), float(value["lon"]))


def read_theatre(path: str | Path) -> Theatre:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        casualties = {
            c["id"]: {**c, "location": point(c["location"]), "injured_at": moment(c["injured_at"]),
                      "reported_at": moment(c["reported_at"])}
            for c in document.get("casualties", [])
        }
        return Theatre(
            facilities={f["id"]: {**f, "location": point(f["location"])}
                        for f in document["facilities"]},
            assets={a["id"]: {**a, "base": point(a["base"])} for a in document["assets"]},
            casualties=casualties,
            road_factor=float(document.get("road_factor", 1.0)),
            load_min=float(document.get("load_min", 10.0)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ScenarioError(f"{path}: not a DESIGN §4 scenario ({error!r})") from error


def read_trace(path: str | Path) -> Trace:
    """Parse JSON lines; a line that cannot be read becomes a `malformed` violation."""
    trace = Trace()
    with open(path, encoding="utf-8") as lines:
        for number, text in enumerate(lines, 1):
            if text.strip():
                _read_record(trace, number, text)
    return trace


def _read_record(trace: Trace, number: int, text: str) -> None:
    try:
        record = json.loads(text)
        kind = record["type"]
        if kind == "leg":
            trace.legs.append(Leg(
                line=number, asset=str(record["asset"]), origin=point(record["from"]),
                destination=point(record["to"]), depart=moment(record["depart"]),
                arrive=moment(record["arrive"]), onboard=tuple(map(str, record["onboard"])),
                escorting=None if record.get("escorting") is None else str(record["escorting"]),
            ))
        elif kind == "handover":
            trace.handovers.append(Handover(
                line=number, casualty=str(record["casualty"]),
                facility=str(record["facility"]), at=moment(record["at"]),
            ))
        elif kind == "dispatch":
            trace.dispatches += 1
    except (KeyError, TypeError, ValueError) as error:
        trace.malformed.append(Violation(
            kind="malformed", line=number, subject="trace", message=f"unreadable record: {error!r}",
        ))
