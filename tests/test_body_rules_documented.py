"""Bodies whose fields depend on each other say so in the OpenAPI document, as they are validated.

A movement's quantity sign and destination depend on its kind, planning parameters' quantities
on their lot-sizing rule: the document states those rules, so a body the schema accepts is one
the service accepts, and one it refuses is refused by the schema too.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

from services.inventory.app import create_app as inventory_app
from services.inventory.movements.schemas import MovementCreate
from services.production.app import create_app as production_app
from services.production.planning.schemas import PlanningParametersWrite
from shared.settings import Settings

MOVEMENTS = [
    {"kind": "receipt", "sku": "A", "quantity": "5"},
    {"kind": "receipt", "sku": "A", "quantity": "0"},
    {"kind": "receipt", "sku": "A", "quantity": 5, "expires_on": "2027-01-01"},
    {"kind": "receipt", "sku": "A", "quantity": 5, "expires_on": "2027-01-01", "lot": "L1"},
    {"kind": "receipt", "sku": "A", "quantity": "2", "to_location": "B1"},
    {"kind": "issue", "sku": "A", "quantity": "-1"},
    {"kind": "issue", "sku": "A", "quantity": "1", "to_warehouse": "X"},
    {"kind": "issue", "sku": "A", "quantity": "1", "lot": "L1", "expires_on": "2027-01-01"},
    {"kind": "transfer", "sku": "A", "quantity": "1"},
    {"kind": "transfer", "sku": "A", "quantity": "1", "to_warehouse": "X"},
    {"kind": "transfer", "sku": "A", "quantity": "1", "to_location": "B1"},
    {"kind": "transfer", "sku": "A", "quantity": "-1", "to_location": "B1"},
    {"kind": "adjustment", "sku": "A", "quantity": "-3"},
    {"kind": "adjustment", "sku": "A", "quantity": "0.000"},
    {"kind": "adjustment", "sku": "A", "quantity": 0},
    {"kind": "scrap", "sku": "A", "quantity": "0.000001"},
    {"kind": "scrap", "sku": "A", "quantity": "0.0000"},
]
PLANNING_PARAMETERS = [
    {},
    {"fixed_quantity": "5"},
    {"lot_sizing": "fixed"},
    {"lot_sizing": "fixed", "fixed_quantity": "5"},
    {"lot_sizing": "fixed", "fixed_quantity": None},
    {"lot_sizing": "fixed", "fixed_quantity": "5", "multiple": "2"},
    {"lot_sizing": "min_multiple"},
    {"lot_sizing": "min_multiple", "multiple": "5"},
    {"lot_sizing": "min_multiple", "multiple": None, "minimum_quantity": "3"},
    {"lot_sizing": "min_multiple", "fixed_quantity": "3", "multiple": "2"},
    {"lot_sizing": "lot_for_lot", "procurement": "buy"},
    {"lot_sizing": "lot_for_lot", "minimum_quantity": "1"},
]
CASES = [("inventory", inventory_app, MovementCreate, body) for body in MOVEMENTS] + [
    ("production", production_app, PlanningParametersWrite, body) for body in PLANNING_PARAMETERS
]


@cache
def _documented_schema(service: str, make_app: Any, model: type[BaseModel]) -> dict[str, Any]:
    app = make_app(Settings(service=service, dev_mode=True, enable_messaging=False))
    document = app.openapi()
    return {**document["components"]["schemas"][model.__name__], **document}


def _accepted_by_model(model: type[BaseModel], body: dict[str, Any]) -> bool:
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(("service", "make_app", "model", "body"), CASES)
def test_the_document_accepts_a_body_exactly_when_the_service_does(
    service: str, make_app: Any, model: type[BaseModel], body: dict[str, Any]
) -> None:
    schema = _documented_schema(service, make_app, model)
    documented = jsonschema.Draft202012Validator(schema).is_valid(body)
    assert documented == _accepted_by_model(model, body), body
