"""The CoT vocabulary ATAK's 9-line MEDEVAC tool uses (docs/interoperability.md cites the sources).

The tool sends event type `b-r-f-h-c` with a `<_medevac_>` detail whose attributes are the lines:
counts by precedence, equipment flags, litter/ambulatory, security and marking as spinner
positions (0 = the line's code A or N), patients by nationality, terrain flags, and MIST notes
as `<zMistsMap><zMist m= i= s= t= z= title=/></zMistsMap>`.
"""

MEDEVAC = "b-r-f-h-c"
PING, PONG = "t-x-c-t", "t-x-c-t-r"
DELETE = "t-x-d-d"

# Line 3: our precedence → the tool's count attribute.
PRECEDENCE = {"A": "urgent", "B": "urgent_surgical", "C": "priority", "D": "routine", "E": "convenience"}
# Line 4: equipment code → flag attribute ("true").
EQUIPMENT = {"A": "equipment_none", "B": "hoist", "C": "extraction_equipment", "D": "ventilator"}
# Line 6 and 7: the tool's spinner position ↔ our code.
SECURITY = ("N", "P", "E", "X")
MARKING = ("A", "B", "C", "D", "E")
# Line 8: status code → count attribute.
NATIONALITY = {"A": "us_military", "B": "us_civilian", "C": "nonus_military", "D": "nonus_civilian", "E": "epw"}
# Line 9 (terrain wording): flag attributes, read as words.
TERRAIN = {"terrain_slope": "slope", "terrain_rough": "rough", "terrain_loose": "loose", "terrain_trees": "trees",
           "terrain_wires": "wires", "terrain_other": "other"}

# MIL-STD-2525 functions as CoT types: friendly rotary-wing MEDEVAC, fixed wing, ground vehicle, hospital.
ASSET_TYPES = {("helicopter", "medevac"): "a-f-A-M-H-H", ("helicopter", "casevac"): "a-f-A-M-H",
               ("fixed_wing", "medevac"): "a-f-A-M-F", ("fixed_wing", "casevac"): "a-f-A-M-F",
               ("ground", "medevac"): "a-f-G-E-V", ("ground", "casevac"): "a-f-G-E-V"}
HOSPITAL = "a-f-G-I-X-H"


def asset_uid(asset_id: object) -> str:
    return f"medevac-asset-{asset_id}"


def facility_uid(facility_id: object) -> str:
    return f"medevac-facility-{facility_id}"


def request_uid(request_id: object, cot_uid: str | None) -> str:
    """A 9-line that came from a TAK device keeps that device's uid: its marker is updated, not doubled."""
    return cot_uid or f"medevac-request-{request_id}"
