"""A forecast's Location header names its sku whatever characters the sku holds."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from shared.testing.stack import Stack


async def test_a_forecast_of_a_sku_with_any_characters_answers_with_a_usable_location(
    sqlite_stack: Stack,
) -> None:
    (production,) = await sqlite_stack.start("production")
    sku = "ROUE-Ø\x05þ"
    body = {"sku": sku, "date": "2027-01-04", "quantity": "5"}
    headers = {"Idempotency-Key": "forecast-with-odd-sku"}
    created = await production.post("/api/v1/forecasts", json=body, headers=headers)
    assert created.status_code == 201, created.text
    location = urlsplit(created.headers["location"])
    assert location.path == "/api/v1/forecasts"
    assert parse_qs(location.query)["sku"] == [sku]
    replayed = await production.post("/api/v1/forecasts", json=body, headers=headers)
    assert replayed.status_code == 201
    assert replayed.headers["location"] == created.headers["location"]
    assert replayed.json()["id"] == created.json()["id"]
