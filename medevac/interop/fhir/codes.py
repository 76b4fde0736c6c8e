"""Code systems and codes the export uses: standard ones where they exist, ours (urn:medevac:…) otherwise."""

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
COMMUNICATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/communication-category"
OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"

# Ours: the mission's casualty identifiers, facility ids, the 9-line's lines and our states.
CASUALTY_SYSTEM = "urn:medevac:mission:{mission_id}:casualty"
REQUEST_SYSTEM = "urn:medevac:mission:{mission_id}:evac-request"
FACILITY_SYSTEM = "urn:medevac:facility"
UN_LEVEL = "urn:medevac:un-level"
NINE_LINE = "urn:medevac:nine-line:line-{line}"
PRECEDENCE = "urn:medevac:nine-line:precedence"
EVACUATION_STATE = "urn:medevac:evacuation-state"
MIST_AT = "urn:medevac:mist-at"

# 9-line precedence → FHIR request priority (routine | urgent | asap | stat) and v3 ActPriority.
REQUEST_PRIORITY = {"A": "stat", "B": "stat", "C": "urgent", "D": "routine", "E": "routine"}
ACT_PRIORITY_OF = {"A": ("EM", "emergency"), "B": ("EM", "emergency"), "C": ("UR", "urgent"),
                   "D": ("R", "routine"), "E": ("EL", "elective")}
PRECEDENCE_NAME = {"A": "urgent", "B": "urgent-surgical", "C": "priority", "D": "routine", "E": "convenience"}

# MIST-AT vital signs by the keys field medics use → (LOINC code, display, UCUM unit).
VITALS = {
    "hr": ("8867-4", "Heart rate", "/min"),
    "pulse": ("8867-4", "Heart rate", "/min"),
    "rr": ("9279-1", "Respiratory rate", "/min"),
    "resp": ("9279-1", "Respiratory rate", "/min"),
    "spo2": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%"),
    "temp": ("8310-5", "Body temperature", "Cel"),
    "sbp": ("8480-6", "Systolic blood pressure", "mm[Hg]"),
    "dbp": ("8462-4", "Diastolic blood pressure", "mm[Hg]"),
    "gcs": ("9269-2", "Glasgow coma score total", "{score}"),
}
BLOOD_PRESSURE = ("85354-9", "Blood pressure panel with all children optional")
AGE = ("30525-0", "Age")
# Narrative MIST-AT parts: no standard code says "mechanism of injury as radioed", so text.
NARRATIVE = {"mechanism": "Mechanism of injury", "injuries": "Injuries", "signs": "Signs"}

# Our lifecycle → FHIR Task.status and Encounter.status.
TASK_STATUS = {"tasked": "accepted", "airborne": "in-progress", "at_pickup": "in-progress",
               "loaded": "in-progress", "handed_over": "completed", "complete": "completed",
               "aborted": "cancelled"}
ENCOUNTER_STATUS = {"tasked": "planned", "airborne": "planned", "at_pickup": "arrived",
                    "loaded": "in-progress", "handed_over": "finished", "complete": "finished",
                    "aborted": "cancelled"}
STAGES = (("tasked", "tasked_at"), ("airborne", "airborne_at"), ("at_pickup", "at_pickup_at"),
          ("loaded", "loaded_at"), ("handed_over", "handed_over_at"), ("complete", "completed_at"),
          ("aborted", "aborted_at"))

LINE_NAMES = {1: "Pickup location", 2: "Radio frequency and call sign", 3: "Patients by precedence",
              4: "Special equipment", 5: "Patients by type", 6: "Security at pickup site (or wounds)",
              7: "Method of marking pickup site", 8: "Patient nationality and status",
              9: "CBRN contamination (or terrain)"}
EQUIPMENT = {"A": "none", "B": "hoist", "C": "extraction equipment", "D": "ventilator"}
SECURITY = {"N": "no enemy troops", "P": "possible enemy troops", "E": "enemy troops, approach with caution",
            "X": "enemy troops, armed escort required"}
MARKING = {"A": "panels", "B": "pyrotechnic signal", "C": "smoke signal", "D": "none", "E": "other"}
NATIONALITY = {"A": "own military", "B": "own civilian", "C": "other military", "D": "other civilian",
               "E": "detainee"}
CBRN = {"N": "nuclear", "B": "biological", "C": "chemical", "R": "radiological"}
