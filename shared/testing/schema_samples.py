"""A sample instance of a JSON Schema (as pydantic writes them), to build sample events through
their models in conformance tests: every property filled, the first choice of each union."""

from __future__ import annotations

from typing import Any


def sample_of(schema: dict[str, Any]) -> Any:
    """An instance of the schema; `$ref`s are resolved against the schema's own `$defs`."""
    return _sample(schema, schema.get("$defs", {}))


def _sample(schema: dict[str, Any], definitions: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _sample(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for union in ("anyOf", "oneOf"):
        if union in schema:
            choices = [c for c in schema[union] if c.get("type") != "null"] or schema[union]
            return _sample(choices[0], definitions)
    if "allOf" in schema:
        return _sample(schema["allOf"][0], definitions)
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _sample(prop, definitions) for name, prop in properties.items()}
    if kind == "array":
        return [_sample(schema.get("items", {}), definitions)]
    if kind == "string":
        return {
            "date": "2026-12-01",
            "date-time": "2026-12-01T10:00:00Z",
            "uuid": "00000000-0000-4000-8000-000000000001",
        }.get(schema.get("format", ""), "S-1")
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    raise ValueError(f"no sample for schema {schema!r}")
