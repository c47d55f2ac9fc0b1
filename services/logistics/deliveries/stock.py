"""Inventory's reservation API, as logistics uses it to pick and ship."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from fastapi import FastAPI

from shared.errors import Conflict, InsufficientStock, ServiceUnavailable
from shared.peers import peers_of

SCOPES = "inventory:write"


def _fail(response: httpx.Response, what: str) -> None:
    if response.status_code == 409:
        body: dict[str, Any] = response.json()
        if body.get("shortages"):
            raise InsufficientStock(f"Not enough stock to {what}.", shortages=body["shortages"])
        raise Conflict(
            f"Inventory refused to {what}: {body.get('detail', '')}".strip(), inventory=body
        )
    if response.status_code >= 400:
        raise ServiceUnavailable(f"Inventory could not {what} (HTTP {response.status_code}).")


async def reserve(
    app: FastAPI,
    reference: str,
    lines: Sequence[tuple[str, object]],
    warehouse: str | None,
    key: str,
) -> str:
    """Reserve all lines or nothing; returns the reservation id. InsufficientStock with the shortages."""
    body = {
        "reference": reference,
        "lines": [
            {
                "sku": sku,
                "quantity": str(quantity),
                **({"warehouse": warehouse} if warehouse else {}),
            }
            for sku, quantity in lines
        ],
    }
    try:
        async with peers_of(app).client("inventory", SCOPES) as client:
            response = await client.post(
                "/api/v1/reservations", json=body, headers={"Idempotency-Key": key}
            )
    except httpx.HTTPError as exc:
        raise ServiceUnavailable("Inventory cannot be reached to reserve stock.") from exc
    _fail(response, "reserve the goods")
    return str(response.json()["id"])


async def issue(app: FastAPI, reservation_id: str, key: str) -> None:
    """Issue every reserved line from stock."""
    try:
        async with peers_of(app).client("inventory", SCOPES) as client:
            response = await client.post(
                f"/api/v1/reservations/{reservation_id}/issue", headers={"Idempotency-Key": key}
            )
    except httpx.HTTPError as exc:
        raise ServiceUnavailable("Inventory cannot be reached to issue stock.") from exc
    _fail(response, "issue the goods")


async def release(app: FastAPI, reservation_id: str, key: str) -> bool:
    """Give reserved stock back: True once inventory has, Conflict if it refuses (the goods were
    issued). False if it cannot be reached: a reservation left over expires with its reference."""
    try:
        async with peers_of(app).client("inventory", SCOPES) as client:
            response = await client.post(
                f"/api/v1/reservations/{reservation_id}/release", headers={"Idempotency-Key": key}
            )
    except httpx.HTTPError:
        return False
    if response.status_code == 409:
        _fail(response, "release the goods")
    return response.is_success
