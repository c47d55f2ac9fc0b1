"""The factory demo plays its whole week through the public APIs of the four services."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bench.demo.api import Plant
from bench.demo.play import play
from shared.settings import SERVICES
from shared.testing.stack import Stack


async def test_the_bicycle_factory_week_plays_through(sqlite_stack: Stack, tmp_path: Path) -> None:
    clients = await sqlite_stack.start(*SERVICES)
    lines: list[str] = []
    plant = Plant(dict(zip(SERVICES, clients, strict=True)))

    def say(line: str) -> None:
        lines.append(line)
        print(line)  # shown when the test fails

    figures = await play(plant, tmp_path, say)

    assert figures["delivery_orders"] == 3
    assert figures["production_orders"] >= 4  # at least one order per made item
    assert figures["purchase_orders"] >= 1
    assert Decimal(str(figures["stock_value"])) > 0
    gantt = Path(figures["gantt"][0])
    assert (await asyncio.to_thread(gantt.read_text)).lstrip().startswith(("<svg", "<?xml"))
    assert any("replaces" in line for line in lines), lines
    shop_floor = figures["shop_floor"]
    assert shop_floor["refused_starts"] == 1
    assert shop_floor["corrections"] == 1
    assert shop_floor["partial_reports"] >= 1
    assert any("too early: 409" in line for line in lines), lines
    # One customer order ships in two parts: four shipments for three orders.
    assert figures["shipments"] == 4
    assert any("part 1" in line and "partially_shipped" in line for line in lines), lines
    stock = (await plant.clients["inventory"].get("/api/v1/stock/BIKE-CITY")).json()
    assert Decimal(stock["on_hand"]) >= 0 and Decimal(stock["reserved"]) == 0


async def test_the_bicycle_factory_promises_a_delivery_date_within_two_seconds(
    sqlite_stack: Stack, tmp_path: Path
) -> None:
    clients = await sqlite_stack.start(*SERVICES)
    plant = Plant(dict(zip(SERVICES, clients, strict=True)))
    await play(plant, tmp_path, lambda line: None)
    production = plant.clients["production"]
    began = time.monotonic()
    answer = await production.post("/api/v1/promises", json={"sku": "BIKE-CITY", "quantity": "50"})
    elapsed = time.monotonic() - began
    assert answer.status_code == 200, answer.text
    print("promise", answer.json(), f"{elapsed:.3f}s")
    assert answer.json()["promised_date"] >= datetime.now(UTC).date().isoformat()
    assert elapsed < 2
