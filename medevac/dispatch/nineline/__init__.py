"""The 9-line MEDEVAC request: pure parsing of its structured JSON and radio text forms.

    parse_structured(payload, area=None) -> NineLine   # the JSON form (pydantic models)
    parse_text(text, area=None) -> NineLine            # radio text: written, spoken, one-line
    render_text(request, spoken=False) -> str          # back to radio text; spoken: the read-back

`area` (the places a mission works from) places a grid sent without its zone; without it such a
grid raises a NineLineError whose `zone_missing` is set. The forms read: docs/radio.md.

Every failure is a NineLineError whose `problems` are {line, field, message}.
"""

from medevac.dispatch.nineline.errors import LineProblem, NineLineError
from medevac.dispatch.nineline.models import (
    Marking,
    MistAt,
    NineLine,
    PatientsByPrecedence,
    PatientsByType,
    PickupLocation,
    RadioContact,
    StatusGroup,
    Treatment,
    parse_structured,
)
from medevac.dispatch.nineline.radio import parse_text, render_text

__all__ = [
    "LineProblem", "Marking", "MistAt", "NineLine", "NineLineError", "PatientsByPrecedence",
    "PatientsByType", "PickupLocation", "RadioContact", "StatusGroup", "Treatment",
    "parse_structured", "parse_text", "render_text",
]
