"""Time standards and the care each precedence needs (the defaults in `medevac.vocabulary`)."""

from medevac.vocabulary import DEFAULT_STANDARDS_MIN as STANDARD_MIN
from medevac.vocabulary import GOLDEN_HOUR_MIN, SURGERY_MIN

# Any one of these capabilities serves the precedence; C-E can be received anywhere.
CARE_FOR_PRECEDENCE = {
    "A": ("resuscitation",),
    "B": ("damage_control_surgery", "surgery"),
}


def meets_precedence(precedence: str, facility: dict) -> bool:
    required = CARE_FOR_PRECEDENCE.get(precedence)
    return not required or bool(set(required) & set(facility["capabilities"]))


def is_advanced_care(facility: dict) -> bool:
    return "resuscitation" in facility["capabilities"]


def has_operating_table(facility: dict) -> bool:
    return facility["operating_tables"] > 0
