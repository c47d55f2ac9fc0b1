"""Each service's documents: offline Swagger UI and ReDoc, the Idempotency-Key header, 405s."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi import FastAPI

from shared.openapi import operations
from shared.settings import SERVICES

ASSET_TYPES = {
    ".js": "javascript",
    ".css": "text/css",
    ".png": "image/png",
}
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
WRITE_METHODS = {"post", "put", "patch", "delete"}


@pytest.fixture(params=SERVICES)
async def documents(
    request: pytest.FixtureRequest, applications: dict[str, FastAPI]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of one service's application, with no token: documents need none."""
    name = str(request.param)
    transport = httpx.ASGITransport(app=applications[name])
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}.test") as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_documentation_pages_load_only_assets_the_service_serves(
    documents: httpx.AsyncClient, page: str
) -> None:
    response = await documents.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "http://" not in html and "https://" not in html, "the page names another host"
    references = REFERENCE.findall(html)
    assert any(ref.endswith(".js") for ref in references), references
    for reference in references:
        assert reference.startswith("/"), reference
        asset = await documents.get(reference)
        assert asset.status_code == 200, reference
        expected = ASSET_TYPES[Path(reference).suffix]
        assert expected in asset.headers["content-type"], (reference, asset.headers)
        assert len(asset.content) > 1000, reference
    assert "/openapi.json" in html
    assert (await documents.get("/openapi.json")).status_code == 200


async def test_swagger_ui_keeps_the_authorize_button_and_its_oauth2_redirect(
    documents: httpx.AsyncClient,
) -> None:
    page = (await documents.get("/docs")).text
    assert "/docs/oauth2-redirect" in page
    assert '"persistAuthorization": true' in page
    redirect = await documents.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200 and "oauth2" in redirect.text
    document = (await documents.get("/openapi.json")).json()
    schemes = document["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"].lower() == "bearer" for s in schemes.values())
    secured = [op for path, _, op in operations(document) if path.startswith("/api/v1/")]
    assert secured and all(op.get("security") for op in secured)


async def test_every_write_operation_declares_an_optional_idempotency_key(
    documents: httpx.AsyncClient,
) -> None:
    document = (await documents.get("/openapi.json")).json()
    writes = [
        (method, path, operation)
        for path, method, operation in operations(document)
        if path.startswith("/api/v1/") and method in WRITE_METHODS
    ]
    assert writes
    for method, path, operation in writes:
        declared = [
            p
            for p in operation.get("parameters", [])
            if p["in"] == "header" and p["name"].lower() == "idempotency-key"
        ]
        assert len(declared) == 1, f"{method.upper()} {path}"
        (parameter,) = declared
        assert parameter["required"] is False
        assert parameter["schema"]["type"] == "string"
        assert parameter["schema"]["maxLength"] == 200
    reads = [op for path, method, op in operations(document) if method == "get"]
    assert not any(
        p["name"].lower() == "idempotency-key" for op in reads for p in op.get("parameters", [])
    )


async def test_a_method_the_path_does_not_take_is_405_with_allow_listing_every_method(
    documents: httpx.AsyncClient,
) -> None:
    document = (await documents.get("/openapi.json")).json()
    # A collection path answering both reads and writes, through two separate routes.
    path, item = next(
        (path, item)
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/") and "{" not in path and {"get", "post"} <= item.keys()
    )
    response = await documents.request("PATCH" if "patch" not in item else "TRACE", path)
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 405 and problem["type"].endswith("method-not-allowed")
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {m.upper() for m in item.keys()} <= allowed


def _decimal_inputs(node: Any) -> list[dict[str, Any]]:
    """Every schema that takes a decimal as a JSON number or a string."""
    found = []
    if isinstance(node, dict):
        types = {b.get("type") for b in node.get("anyOf", []) if isinstance(b, dict)}
        if {"number", "string"} <= types:
            found.append(node)
        for child in node.values():
            found += _decimal_inputs(child)
    elif isinstance(node, list):
        for child in node:
            found += _decimal_inputs(child)
    return found


async def test_decimal_inputs_state_their_limits_in_json_schema_terms(
    documents: httpx.AsyncClient,
) -> None:
    document = (await documents.get("/openapi.json")).json()
    text = json.dumps(document["components"]["schemas"])
    for keyword in ("max_digits", "decimal_places"):
        assert f'"{keyword}"' not in text
    decimals = _decimal_inputs(document["components"]["schemas"])
    assert decimals
    for schema in decimals:
        number = next(b for b in schema["anyOf"] if b["type"] == "number")
        string = next(b for b in schema["anyOf"] if b["type"] == "string")
        jsonschema.validate("2.5", string)
        for refused in ("12,5", "ten", "1e3", ""):
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(refused, string)
        if "multipleOf" not in number:  # a decimal with no limit of its own
            continue
        assert number["multipleOf"] == 1e-06
        assert {"minimum", "exclusiveMinimum"} & number.keys()
        assert {"maximum", "exclusiveMaximum"} & number.keys()
        for refused in ("1.1234567", "1" * 20):
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(refused, string)
        if number.get("minimum", number.get("exclusiveMinimum")) == 0:
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate("-1", string)
