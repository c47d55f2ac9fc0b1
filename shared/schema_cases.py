"""JSON Schema pieces that state a body's rules across fields, for `json_schema_extra`.

A model validator that ties one field to another (a transfer needs a destination, rule `fixed`
needs its quantity) is invisible in the schema pydantic derives, so clients and generated tests
see a body as valid that the service refuses. These pieces write such rules as `anyOf` cases
beside the model's own properties; the shared OpenAPI steps turn the decimal constraints into
JSON Schema terms like every other decimal's.
"""

from __future__ import annotations

from typing import Any

from shared.numbers import INTEGER_DIGITS, SCALE

NULL: dict[str, Any] = {"type": "null"}
"""Left out, or null."""

GIVEN: dict[str, Any] = {"not": {"type": "null"}}
"""Not null (add the name to `required` to also demand it is there)."""


def decimal(**bounds: Any) -> dict[str, Any]:
    """A request decimal (a JSON number or a string) with pydantic's bound names: gt=0..."""
    return {
        "anyOf": [{"type": "number"}, {"type": "string"}],
        "max_digits": INTEGER_DIGITS + SCALE,
        "decimal_places": SCALE,
        **{name: str(value) for name, value in bounds.items()},
    }


NONZERO: dict[str, Any] = {"not": {"anyOf": [{"const": 0}, {"pattern": r"^-?0*(\.0*)?$"}]}}
"""Any decimal but zero, written either way."""


def case(when: dict[str, Any], *required: str, **properties: dict[str, Any]) -> dict[str, Any]:
    """One case of a body: the values of `when` select it, `properties` hold within it."""
    schema: dict[str, Any] = {
        "properties": {name: {"enum": list(values)} for name, values in when.items()} | properties
    }
    if required:
        schema["required"] = list(required)
    return schema


def one_present(*names: str) -> dict[str, Any]:
    """At least one of the fields is given and not null."""
    return {"anyOf": [{"required": [name], "properties": {name: GIVEN}} for name in names]}
