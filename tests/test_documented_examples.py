"""Every write body shows a whole example in Swagger, valid by the document and by the model;
every request example is a whole body that works on the demo factory's data, and none is dated
in the past."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from jsonschema import Draft202012Validator
from starlette.routing import BaseRoute

from bench.demo import factory
from shared.settings import SERVICES
from shared.testing.stack import ServiceClient, Stack, eventually

CORE_CREATES = [
    ("inventory", "/api/v1/items"),
    ("inventory", "/api/v1/warehouses"),
    ("inventory", "/api/v1/movements"),
    ("inventory", "/api/v1/reservations"),
    ("production", "/api/v1/boms"),
    ("production", "/api/v1/routings"),
    ("production", "/api/v1/orders"),
    ("operations", "/api/v1/work-centers"),
    ("logistics", "/api/v1/suppliers"),
    ("logistics", "/api/v1/purchase-orders"),
    ("logistics", "/api/v1/delivery-orders"),
]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
WRITE_METHODS = {"post", "put", "patch"}


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def documented_examples(document: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """The whole-body example of each operation's JSON request body, by (method, path)."""
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            examples = _resolve(document, schema).get("examples")
            if examples:
                found[(method.upper(), path)] = examples[0]
    return found


def body_examples(document: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """The examples Swagger UI offers for a body: its own, else its schema's."""
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return [example["value"] for example in media["examples"].values()]
    return list(_resolve(document, media["schema"]).get("examples", []))


def json_write_bodies(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The JSON request body of each write operation, by (method, path)."""
    return {
        (method.upper(), path): media
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in WRITE_METHODS
        and (media := operation.get("requestBody", {}).get("content", {}).get("application/json"))
    }


def api_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route with its full path, inside included routers too."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from api_routes(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path_format, route


@pytest.mark.parametrize("service", SERVICES)
def test_every_write_body_shows_a_whole_example(
    applications: dict[str, FastAPI], service: str
) -> None:
    document = applications[service].openapi()
    bodies = json_write_bodies(document)
    assert bodies
    bare = sorted(key for key, media in bodies.items() if not body_examples(document, media))
    assert bare == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_body_example_is_valid_by_the_document_and_by_the_model(
    applications: dict[str, FastAPI], service: str
) -> None:
    app = applications[service]
    document = app.openapi()
    fields = {
        (method, path): route.body_field
        for path, route in api_routes(app.routes)
        if route.body_field is not None
        for method in route.methods
    }
    invalid = []
    for (method, path), media in sorted(json_write_bodies(document).items()):
        schema = {**media["schema"], "components": document["components"]}
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for example in body_examples(document, media):
            by_document = [error.message for error in validator.iter_errors(example)]
            _, by_model = fields[(method, path)].validate(example, loc=("body",))
            if by_document or by_model:
                invalid.append((method, path, example, by_document, by_model))
    assert invalid == []


def every_body_example(document: dict[str, Any]) -> list[Any]:
    """Every example value in the schemas of request bodies, nested ones included."""
    values: list[Any] = []
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference not in seen:
                seen.add(reference)
                walk(document["components"]["schemas"][reference.rsplit("/", 1)[1]])
            for key, value in node.items():
                if key == "examples" and isinstance(value, list):
                    values.extend(value)
                elif key == "example":
                    values.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for operations in document["paths"].values():
        for operation in operations.values():
            walk(operation.get("requestBody", {}))
    return values


def dates_in(value: Any) -> list[str]:
    """The ISO dates and date-times inside an example value."""
    if isinstance(value, str):
        return [value] if ISO_DATE.match(value) else []
    if isinstance(value, dict):
        return [d for v in value.values() for d in dates_in(v)]
    if isinstance(value, list):
        return [d for v in value for d in dates_in(v)]
    return []


def names_an_id(value: Any) -> bool:
    """Whether an example names a record by its id, which each run of the demo makes anew."""
    if isinstance(value, str):
        return bool(UUID.match(value))
    if isinstance(value, dict):
        return any(names_an_id(v) for v in value.values())
    if isinstance(value, list):
        return any(names_an_id(v) for v in value)
    return False


def in_the_past(text: str) -> bool:
    """Whether a documented date (its whole day) or date-time is over already."""
    now = datetime.now(UTC)
    if len(text) == 10:
        return date.fromisoformat(text) < now.date()
    instant = datetime.fromisoformat(text)
    return (instant if instant.tzinfo else instant.replace(tzinfo=UTC)) < now


async def _seed_a_slice_of_the_demo(services: dict[str, ServiceClient]) -> None:
    inventory, production = services["inventory"], services["production"]
    operations, logistics = services["operations"], services["logistics"]
    for department in factory.DEPARTMENTS:
        assert (await operations.post("/api/v1/departments", json=department)).status_code == 201
    for center in factory.WORK_CENTERS:
        body = {**center, "calendar": factory.TWO_SHIFTS}
        assert (await operations.post("/api/v1/work-centers", json=body)).status_code == 201
    for item in factory.ITEMS:
        assert (await inventory.post("/api/v1/items", json=item)).status_code == 201
    for sku, quantity in factory.OPENING_STOCK:
        receipt = {"kind": "receipt", "sku": sku, "quantity": quantity, "reference": "opening"}
        assert (await inventory.post("/api/v1/movements", json=receipt)).status_code == 201
    velo = next(s for s in factory.SUPPLIERS if s["code"] == "VELO")
    supplier = {k: v for k, v in velo.items() if k != "items"}
    assert (await logistics.post("/api/v1/suppliers", json=supplier)).status_code == 201
    lines = [
        {"sku": sku, "unit_price": price, "minimum_quantity": minimum, "preferred": True}
        for sku, price, minimum in velo["items"]  # type: ignore[attr-defined]
    ]

    async def accepted(response: httpx.Response) -> bool:
        return response.is_success

    # The other services learn items and work centers over the broker: wait until they know.
    async def production_knows() -> bool:
        bom = factory.BOMS[-1]
        routing = factory.ROUTINGS[0]
        return await accepted(await production.post("/api/v1/boms", json=bom)) and await accepted(
            await production.post("/api/v1/routings", json=routing)
        )

    async def logistics_knows() -> bool:
        return await accepted(
            await logistics.put("/api/v1/suppliers/VELO/items", json={"items": lines})
        )

    await eventually(production_knows, timeout=30, interval=0.3)
    await eventually(logistics_knows, timeout=30, interval=0.3)


async def test_each_documented_request_example_works_on_the_demo_data(stack: Stack) -> None:
    started = await stack.start("inventory", "production", "operations", "logistics")
    services = {client.name: client for client in started}
    await _seed_a_slice_of_the_demo(services)
    documents = {name: client.app.openapi() for name, client in services.items()}
    examples = {name: documented_examples(document) for name, document in documents.items()}
    for name, path in CORE_CREATES:
        assert ("POST", path) in examples[name], f"{name} POST {path} documents no whole example"
    refused = []
    for name, found in examples.items():
        for (method, path), body in sorted(found.items()):
            if "{" in path or names_an_id(body):
                continue
            response = await services[name].request(method, path, json=body)
            if response.status_code == 422 or (
                (name, path) in CORE_CREATES and not response.is_success
            ):
                refused.append((name, method, path, response.status_code, response.text))
    assert refused == []


async def test_no_documented_example_is_dated_in_the_past(sqlite_stack: Stack) -> None:
    started = await sqlite_stack.start("inventory", "production", "operations", "logistics")
    past = [
        (client.name, day)
        for client in started
        for value in every_body_example(client.app.openapi())
        for day in dates_in(value)
        if in_the_past(day)
    ]
    assert past == []
