"""The OpenAPI 3.1 document, generated from the declared operations and their pydantic models."""

import re
from typing import Any

from aiohttp import web
from pydantic import TypeAdapter

from medevac import __version__
from medevac.http.web import Operation, RouteTable

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
PROBLEM = {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}}


def _schemas(operations: list[Operation]) -> tuple[dict[tuple, dict], dict[str, Any]]:
    """Every body, query and response schema in one pass, so two models that share a class name
    (a scenario's `Casualty` and a request's) get distinct components instead of overwriting."""
    inputs = []
    for i, op in enumerate(operations):
        for part, model, mode in (("body", op.body, "validation"), ("query", op.query, "validation"),
                                  ("response", op.response, "serialization")):
            if model is not None:
                inputs.append(((part, i), mode, TypeAdapter(model)))
        for media, model in op.raw_body.items():
            inputs.append((("raw", i, media), "validation", TypeAdapter(model)))
    schemas, definitions = TypeAdapter.json_schemas(inputs, ref_template=REF)
    return {key: schema for (key, _mode), schema in schemas.items()}, definitions.get("$defs", {})


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return components[ref.rsplit("/", 1)[-1]] if ref.startswith(REF.format(model="")) else schema


def _parameters(op: Operation, query: dict[str, Any] | None, components: dict[str, Any]) -> list[dict[str, Any]]:
    params = [{"name": name, "in": "path", "required": True,
               "schema": {"type": "string", "format": "uuid"} if name.endswith("_id") else {"type": "string"}}
              for name in re.findall(r"{(\w+)}", op.path)]
    if query is not None:
        query = _resolve(query, components)
        required = set(query.get("required", []))
        for name, prop in query.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if op.idempotent:
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "schema": {"type": "string", "maxLength": 200}})
    return params


def _responses(op: Operation, response: dict[str, Any] | None) -> dict[str, Any]:
    if op.stream:
        ok = {"description": "event stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}}
    elif response is None:
        ok = {"description": "done"}
    else:
        ok = {"description": "ok", "content": {"application/json": {"schema": response}}
              | {media: {"schema": {"type": "string"}} for media in op.also_produces}}
    errors = {401: "no valid token", 403: "role or mission not allowed", 422: "invalid input",
              429: "too many requests (Retry-After says when to retry)",
              503: "database unavailable"} | op.extra_responses
    if op.method != "GET":  # a unique key taken, or a state that moved on
        errors = {409: "conflict with the current state"} | errors
    if op.body is not None or op.raw_body:
        errors |= {400: "malformed body", 413: "body too large", 415: "unsupported media type"}
    if "{" in op.path:
        errors[404] = "not found"
    return {str(op.status): ok} | {str(code): {"description": text, "content": PROBLEM}
                                     for code, text in sorted(errors.items())}


def build(operations: list[Operation]) -> dict[str, Any]:
    schemas, components = _schemas(operations)
    components["Problem"] = PROBLEM_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for i, op in enumerate(operations):
        entry: dict[str, Any] = {
            "operationId": op.handler.__name__, "summary": op.summary, "tags": [op.tag],
            "parameters": _parameters(op, schemas.get(("query", i)), components),
            "responses": _responses(op, schemas.get(("response", i))),
            "x-roles": sorted(op.roles),
        }
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": schemas[("body", i)]}}}
        elif op.raw_body:
            entry["requestBody"] = {"required": True, "content": {
                media: {"schema": schemas[("raw", i, media)]} for media in op.raw_body}}
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


class Api:
    """Every declared operation, for routing and for the OpenAPI document."""

    def __init__(self) -> None:
        self.tables: list[RouteTable] = []
        self._document: dict | None = None

    def add(self, *tables: RouteTable) -> None:
        self.tables.extend(tables)

    def install(self, app: web.Application) -> None:
        for table in self.tables:
            table.install(app)

    def document(self) -> dict:
        if self._document is None:
            self._document = build([op for table in self.tables for op in table.operations])
        return self._document


api_key: web.AppKey[Api] = web.AppKey("api", Api)
