"""Speaking the field's languages: FHIR for hospitals, Cursor-on-Target for TAK devices (docs/interoperability.md)."""
