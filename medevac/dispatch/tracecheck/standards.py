"""Time standards and the care each precedence needs (DESIGN.md §1 defaults)."""

# Minutes from injury. Urgent: advanced resuscitation within the golden hour (UN 10-1-2);
# urgent-surgical: an operating table within 2 h; priority 4 h; routine and convenience 24 h.
STANDARD_MIN = {"A": 60, "B": 120, "C": 240, "D": 1440, "E": 1440}
GOLDEN_HOUR_MIN = 60
SURGERY_MIN = 120

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
