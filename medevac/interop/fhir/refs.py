"""Resource ids and references: stable across exports, so a re-sent Bundle updates, never duplicates."""

import uuid
from datetime import datetime
from typing import Any

NAMESPACE = uuid.UUID("6d656465-7661-632d-6668-69722d723462")  # fixed: ids must not change between releases


def rid(kind: str, *keys: object) -> str:
    """The id of a resource derived from our rows (a Location for a pickup site, an Encounter…)."""
    return str(uuid.uuid5(NAMESPACE, "/".join([kind, *map(str, keys)])))


def ref(resource_id: object, display: str | None = None) -> dict[str, str]:
    out = {"reference": f"urn:uuid:{resource_id}"}
    if display:
        out["display"] = display
    return out


def when(value: datetime | str | None) -> str | None:
    """FHIR dateTime/instant: ISO 8601 with its offset (our times are all aware)."""
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(text: str, *codings: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"text": text}
    if codings:
        out["coding"] = list(codings)
    return out


def pruned(resource: dict[str, Any]) -> dict[str, Any]:
    """Without empty members: FHIR forbids empty strings, lists and objects."""
    out = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = pruned(value)
        elif isinstance(value, list):
            value = [pruned(v) if isinstance(v, dict) else v for v in value if v not in (None, "", {}, [])]
        if value not in (None, "", {}, []):
            out[key] = value
    return out
