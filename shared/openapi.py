"""What every service's OpenAPI document declares beyond its routes: problems, write headers,
decimal bounds and the examples of optional bodies."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fastapi import FastAPI

from shared.errors import STATE_MEMBER
from shared.idempotency import MAX_KEY_LENGTH, WRITE_METHODS

API_PREFIX = "/api/v1/"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": (
        "RFC 9457 problem details. `status` is always the HTTP status code; extensions "
        "(e.g. errors, shortages, current_status) may follow."
    ),
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "Stable URI naming the kind of problem."},
        "title": {"type": "string"},
        "status": {
            "type": "integer",
            "minimum": 100,
            "maximum": 599,
            "description": "The HTTP status code of the response.",
        },
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path of the request."},
        STATE_MEMBER: {
            "type": "string",
            "description": "The state of the resource that refused the request.",
        },
    },
    "additionalProperties": True,
}

IDEMPOTENCY_KEY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Any unique string (a UUID, say). Repeating the request with the same key and body "
        "returns the first response and has one effect; the same key with another body is 422."
    ),
    # Surrounding blanks are not part of the key (the key is trimmed), so none are declared.
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": r"^\S(.*\S)?$",
    },
    "example": "3f6c1d2e-8a4b-4c1e-9f3a-2b7d5e6a9c10",
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def document_problems(document: dict[str, Any]) -> None:
    """Declare that errors are problem+json: 422 and any other error status."""
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for _path, _method, operation in operations(document):
        responses = operation.setdefault("responses", {})
        if "422" in responses:
            responses["422"] = _problem_response("Invalid input")
        responses.setdefault(
            "default", _problem_response("A problem: 401, 403, 404, 405, 409, 412, 413...")
        )


def document_idempotency_key(document: dict[str, Any]) -> None:
    """Declare the optional Idempotency-Key header on every write under /api/v1."""
    for path, method, operation in operations(document):
        if not path.startswith(API_PREFIX) or method.upper() not in WRITE_METHODS:
            continue
        parameters = operation.setdefault("parameters", [])
        # A route that reads the key itself keeps its description, with the shared constraints.
        declared = [
            p
            for p in parameters
            if p.get("in") == "header" and p.get("name", "").lower() == "idempotency-key"
        ]
        parameter = {**IDEMPOTENCY_KEY_PARAMETER}
        for own in declared:
            parameter["description"] = own.get("description", parameter["description"])
            parameters.remove(own)
        parameters.append(parameter)


PYDANTIC_DECIMAL_KEYWORDS = ("max_digits", "decimal_places", "ge", "gt", "le", "lt")
"""Constraints pydantic leaves in a decimal's schema under its own names, unknown to JSON Schema."""


def document_decimal_constraints(document: dict[str, Any]) -> None:
    """State a decimal's bounds, digits and decimals in JSON Schema terms, as it is validated.

    A decimal input is a JSON number or a string; pydantic names its constraints in words JSON
    Schema ignores (`max_digits`, `ge`...), so clients and generated tests saw no limit at all.
    """
    _walk_schemas(document.get("components", {}).get("schemas", {}))
    for _path, _method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            _walk_schemas(parameter.get("schema"))


def _walk_schemas(node: Any) -> None:
    if isinstance(node, list):
        for child in node:
            _walk_schemas(child)
        return
    if not isinstance(node, dict):
        return
    constrained = any(k in node for k in PYDANTIC_DECIMAL_KEYWORDS)
    branches = {b.get("type") for b in node.get("anyOf", []) if isinstance(b, dict)}
    if ("anyOf" in node or "type" in node) and constrained or {"number", "string"} <= branches:
        _translate_decimal(node)
    for child in node.values():
        _walk_schemas(child)


def _translate_decimal(node: dict[str, Any]) -> None:
    found = {k: node.pop(k) for k in PYDANTIC_DECIMAL_KEYWORDS if k in node}
    branches = node.get("anyOf", [])
    number = next((b for b in branches if b.get("type") == "number"), None)
    text = next((b for b in branches if b.get("type") == "string" and "format" not in b), None)
    if number is None or text is None or "pattern" in text:
        return  # a decimal as a service answers it: a string, or another shape left as it is
    places = found.get("decimal_places")
    whole = None if places is None else found.get("max_digits", 0) - places
    low: tuple[Decimal, bool] | None = None  # (bound, inclusive)
    high: tuple[Decimal, bool] | None = None
    if whole is not None:
        limit = Decimal(10) ** whole
        low, high = (-limit, False), (limit, False)
    for keyword, inclusive in (("ge", True), ("gt", False)):
        if keyword in found:
            bound = Decimal(str(found[keyword]))
            if low is None or bound >= low[0]:
                low = (bound, inclusive)
    for keyword, inclusive in (("le", True), ("lt", False)):
        if keyword in found:
            bound = Decimal(str(found[keyword]))
            if high is None or bound <= high[0]:
                high = (bound, inclusive)
    for key in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        number.pop(key, None)
    if low is not None:
        number["minimum" if low[1] else "exclusiveMinimum"] = _json_number(low[0])
    if high is not None:
        number["maximum" if high[1] else "exclusiveMaximum"] = _json_number(high[0])
    if places is not None:
        number["multipleOf"] = _json_number(Decimal(1).scaleb(-places))
    text["pattern"] = _decimal_pattern(low, high, places)


def _decimal_pattern(
    low: tuple[Decimal, bool] | None, high: tuple[Decimal, bool] | None, places: int | None
) -> str:
    """A decimal string within the bounds, as closely as a pattern says it simply."""
    fraction = "(\\.[0-9]+)?" if places is None else f"(\\.[0-9]{{1,{places}}})?" if places else ""
    sign = "" if low is not None and low[0] >= 0 else "-?"
    if low is None or high is None:
        return f"^{sign}[0-9]+{fraction}$"
    magnitude, inclusive = max((abs(low[0]), low[1]), (abs(high[0]), high[1]))
    digits = len(str(int(magnitude)))
    if magnitude != Decimal(10) ** (digits - 1):
        return f"^{sign}[0-9]{{1,{digits}}}{fraction}$"
    # A power of ten: anything with fewer digits, and the bound itself when it is allowed.
    below = f"[0-9]{{1,{digits - 1}}}" if digits > 1 else "0"
    exact = f"|{int(magnitude)}(\\.0{{1,{places or 1}}})?" if inclusive else ""
    if low == (0, False) and places and digits > 1:
        # Greater than zero: a whole part that is not zero, or a fraction that is not all zeros.
        below = f"[1-9][0-9]{{0,{digits - 2}}}{fraction}|0*\\.({_nonzero_fraction(places)})"
        return f"^({below}{exact})$"
    return f"^{sign}({below}{fraction}{exact})$"


def _nonzero_fraction(places: int) -> str:
    """At most `places` digits, not all zeros."""
    return "|".join(f"0{{{zeros}}}[1-9][0-9]{{0,{places - zeros - 1}}}" for zeros in range(places))


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def document_optional_body_examples(document: dict[str, Any]) -> None:
    """Show an optional body's example on the body itself.

    An optional body's schema is `anyOf [model, null]`: the model's examples sit one step behind
    it, where a client looking at the body does not find them.
    """
    schemas = document.get("components", {}).get("schemas", {})
    for _path, _method, operation in operations(document):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            if "example" in media or "examples" in media:
                continue
            branches = media.get("schema", {}).get("anyOf", [])
            references = [b["$ref"] for b in branches if "$ref" in b]
            if len(references) != 1:
                continue
            examples = schemas.get(references[0].rsplit("/", 1)[1], {}).get("examples")
            if examples:
                media["example"] = examples[0]


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (path, method, operation) of an OpenAPI document."""
    return [
        (path, method, operation)
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


DocumentStep = Callable[[dict[str, Any]], None]
STEPS: tuple[DocumentStep, ...] = (
    document_problems,
    document_idempotency_key,
    document_decimal_constraints,
    document_optional_body_examples,
)


def install_openapi_steps(app: FastAPI, steps: tuple[DocumentStep, ...] = STEPS) -> None:
    """Build the app's OpenAPI document once, then pass it through the shared steps."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()
        for step in steps:
            step(document)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
