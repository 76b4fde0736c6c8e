"""The HTTP shell: operations, middleware, OpenAPI, idempotency, limits, health and live streams."""
