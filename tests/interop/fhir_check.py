"""FHIR R4B validation with the `fhir.resources` models: every resource, then the Bundle."""

from fhir.resources.R4B import get_fhir_model_class


def validated(bundle: dict) -> dict[str, list[dict]]:
    """Validate each entry's resource and the whole Bundle; the resources by type."""
    assert bundle["resourceType"] == "Bundle"
    by_type: dict[str, list[dict]] = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        by_type.setdefault(resource["resourceType"], []).append(resource)
    get_fhir_model_class("Bundle").model_validate(bundle)
    ids = [e["fullUrl"] for e in bundle["entry"]]
    assert len(ids) == len(set(ids)), "every resource once"
    references = _references(bundle)
    assert references <= set(ids), f"dangling references: {references - set(ids)}"
    return by_type


def _references(value) -> set[str]:
    if isinstance(value, dict):
        found = {value["reference"]} if isinstance(value.get("reference"), str) else set()
        return found.union(*(_references(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_references(v) for v in value))
    return set()
