"""The 9-line MEDEVAC request: pure parsing of its structured JSON and radio text forms.

    parse_structured(payload) -> NineLine   # the JSON form (pydantic models)
    parse_text(text) -> NineLine            # the radio text form, US and NATO wordings
    render_text(request) -> str             # back to radio text

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
