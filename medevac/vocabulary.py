"""The domain's words, declared once: the scenario, the 9-line, the requests, the engine, the missions
and the monitoring SQL all import them from here, so they cannot drift apart."""

from typing import Literal

# Line 3: patients by precedence.
Precedence = Literal["A", "B", "C", "D", "E"]
PRECEDENCES: tuple[Precedence, ...] = ("A", "B", "C", "D", "E")
# Line 5: patients by type.
PatientType = Literal["litter", "ambulatory"]
# Line 6: security at the pickup site (X: armed escort required).
Security = Literal["N", "P", "E", "X"]
# Line 4: special equipment (A none, B hoist, C extraction, D ventilator).
SpecialEquipment = Literal["A", "B", "C", "D"]
# Line 7: marking of the pickup site.
Marking = Literal["A", "B", "C", "D", "E"]
# Line 8: patient status (A own military, B own civilian, C other military, D other civilian,
# E detainee), and the words a UN mission uses, each sent as its code. UN police are mission
# members but not military: B.
PatientStatus = Literal["A", "B", "C", "D", "E"]
StatusCategory = Literal["un_military", "un_civilian", "un_police", "local_military", "local_civilian",
                         "non_un_military", "detainee"]
CATEGORY_CODE: dict[str, str] = {"un_military": "A", "un_civilian": "B", "un_police": "B", "local_military": "C",
                                 "non_un_military": "C", "local_civilian": "D", "detainee": "E"}

AssetStatus = Literal["available", "tasked", "returning", "maintenance", "crew_rest", "weather_hold"]
FacilityStatus = Literal["open", "diverting", "closed"]

# Minutes from injury to the care each precedence needs; a mission may configure its own. Urgent:
# advanced resuscitation within the golden hour (UN 10-1-2); urgent-surgical: an operating table
# within 2 h; priority 4 h; routine and convenience 24 h.
DEFAULT_STANDARDS_MIN: dict[str, int] = {"A": 60, "B": 120, "C": 240, "D": 1440, "E": 1440}
GOLDEN_HOUR_MIN = 60
SURGERY_MIN = 120


def standard_case_sql(column: str) -> str:
    """A SQL CASE giving the default standard in minutes for the precedence in `column`."""
    whens = " ".join(f"WHEN '{p}' THEN {m}" for p, m in DEFAULT_STANDARDS_MIN.items())
    return f"CASE {column} {whens} END"
