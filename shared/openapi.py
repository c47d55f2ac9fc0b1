"""What every service's OpenAPI document declares beyond its routes: problems and write headers."""

from __future__ import annotations

from collections.abc import Callable
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


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (path, method, operation) of an OpenAPI document."""
    return [
        (path, method, operation)
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


DocumentStep = Callable[[dict[str, Any]], None]
STEPS: tuple[DocumentStep, ...] = (document_problems, document_idempotency_key)


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
