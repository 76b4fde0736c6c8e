"""FHIR R4B: an evacuation (and a consult) as a Bundle, and its push to the receiving facility."""
