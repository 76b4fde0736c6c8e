"""The OpenAPI 3.1 document, generated from the declared operations and their pydantic models."""

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter

from medevac import __version__
from medevac.web import Operation

REF = "#/components/schemas/{model}"
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}


def _schema(model: Any, components: dict[str, Any], mode: str) -> dict[str, Any]:
    """The schema of a model (or any type) as a `$ref`, its definitions moved to components."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        schema = model.model_json_schema(ref_template=REF, mode=mode)
        name = re.sub(r"\W+", "_", model.__name__).strip("_")
        components.update(schema.pop("$defs", {}))
        components[name] = schema
        return {"$ref": REF.format(model=name)}
    schema = TypeAdapter(model).json_schema(ref_template=REF, mode=mode)
    components.update(schema.pop("$defs", {}))
    return schema


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
              for name in re.findall(r"{(\w+)}", op.path)]
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=REF)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if op.idempotent:
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "schema": {"type": "string", "maxLength": 200}})
    return params


def _responses(op: Operation, components: dict[str, Any]) -> dict[str, Any]:
    problem = {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}}
    if op.stream:
        ok = {"description": "event stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}}
    elif op.response is None:
        ok = {"description": "done"}
    else:
        ok = {"description": "ok", "content": {"application/json": {
            "schema": _schema(op.response, components, "serialization")}}}
    errors = {401: "no valid token", 403: "role or mission not allowed", 422: "invalid input",
              503: "database unavailable"} | op.extra_responses
    if op.body is not None:
        errors |= {400: "malformed JSON", 413: "body too large", 415: "not JSON"}
    if "{" in op.path:
        errors[404] = "not found"
    return {str(op.status): ok} | {str(code): {"description": text, "content": problem}
                                     for code, text in sorted(errors.items())}


def build(operations: list[Operation]) -> dict[str, Any]:
    components: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        entry: dict[str, Any] = {
            "operationId": op.handler.__name__, "summary": op.summary, "tags": [op.tag],
            "parameters": _parameters(op), "responses": _responses(op, components),
            "x-roles": sorted(op.roles),
        }
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": _schema(op.body, components, "validation")}}}
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "medevac", "version": __version__,
                 "description": "Casualty evacuation and telemedicine coordination"},
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
