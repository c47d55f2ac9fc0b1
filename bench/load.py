"""Make-to-order under steady load on the embedded default, with the broker's own latency beside it.

    python -m bench.load [--rate 2] [--seconds 60] [--drain 90]

Runs the broker and inventory, production and logistics as real processes (SQLite, Tansu). New
orders start at a fixed rate for a bounded time; each one goes
    delivery order (logistics) -> production order -> release -> reservation confirmed (inventory,
    over events) -> complete (output received into stock, over events) -> ship (logistics issues
    the goods through inventory's reservations over HTTP).
End-to-end latency is from the delivery order's POST to the shipment. An order not shipped by the
end of the drain is lost. In the same run a raw aiokafka producer and consumer on a scratch topic
measure the broker's own produce-to-consume latency at a matching message rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.processes import RunningServices, percentile, services
from shared.auth import ALL_SCOPES, mint_token
from shared.settings import Settings

SERVICES = ("inventory", "production", "logistics")
COMPONENTS = {"WHEEL": ("component", "12.5", 2), "FRAME": ("component", "80", 1)}
POLL = 0.05


@dataclass
class Figures:
    """What the load run measured."""

    started: int = 0
    shipped: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    last_done: float = 0.0

    def fail(self, step: str) -> None:
        """Count an order that stopped at a step."""
        self.failures[step] = self.failures.get(step, 0) + 1


def _clients(running: RunningServices) -> dict[str, httpx.AsyncClient]:
    token = mint_token(Settings().jwt_secret, ALL_SCOPES)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    return {
        name: httpx.AsyncClient(
            base_url=running.url(name),
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
            limits=limits,
        )
        for name in SERVICES
    }


async def _post(
    client: httpx.AsyncClient, path: str, key: str, deadline: float, body: Any = None
) -> httpx.Response:
    """POST like a careful client: on no answer, the same request again with the same key."""
    while True:
        try:
            response = await client.post(path, json=body, headers={"Idempotency-Key": key})
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            continue
        if response.status_code == 409 and "in-flight" in response.text:
            await asyncio.sleep(POLL)
            continue
        return response


async def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 300:
        raise RuntimeError(f"{response.request.url.path}: {response.status_code} {response.text}")
    return response.json()  # type: ignore[no-any-return]


async def _until(probe: Any, deadline: float) -> Any:
    while time.monotonic() < deadline:
        result = await probe()
        if result:
            return result
        await asyncio.sleep(POLL)
    return None


async def _plant(http: dict[str, httpx.AsyncClient], orders: int) -> None:
    """Items, components in stock for every order, a BOM, known to production."""
    inventory, production = http["inventory"], http["production"]
    await _ok(
        await inventory.post(
            "/api/v1/items", json={"sku": "BIKE", "name": "Bike", "kind": "finished"}
        )
    )
    for sku, (kind, cost, per_bike) in COMPONENTS.items():
        await _ok(
            await inventory.post(
                "/api/v1/items", json={"sku": sku, "name": sku, "kind": kind, "standard_cost": cost}
            )
        )
        await _ok(
            await inventory.post(
                "/api/v1/movements",
                json={
                    "kind": "receipt",
                    "sku": sku,
                    "quantity": str(per_bike * orders * 2),
                    "warehouse": "MAIN",
                    "unit_cost": cost,
                },
            )
        )
    bom = {
        "product_sku": "BIKE",
        "components": [{"sku": s, "quantity": q} for s, (_, _, q) in COMPONENTS.items()],
    }

    async def published() -> bool:
        return (await production.post("/api/v1/boms", json=bom)).status_code == 201

    if not await _until(published, time.monotonic() + 60):
        raise RuntimeError("production never learnt the items")


async def _one_order(
    http: dict[str, httpx.AsyncClient], n: int, figures: Figures, deadline: float
) -> None:
    logistics, production = http["logistics"], http["production"]
    started = time.monotonic()
    figures.started += 1
    step = "delivery order"
    try:
        delivery = await _ok(
            await _post(
                logistics,
                "/api/v1/delivery-orders",
                f"do-{n}",
                deadline,
                {
                    "customer": f"C{n % 17}",
                    "ship_to": "1 Main St",
                    "due_date": "2030-01-01",
                    "lines": [{"sku": "BIKE", "quantity": "1"}],
                },
            )
        )
        step = "production order"
        order = await _ok(
            await _post(
                production,
                "/api/v1/orders",
                f"po-{n}",
                deadline,
                {"product_sku": "BIKE", "quantity": "1", "due_date": "2030-01-01"},
            )
        )
        url = f"/api/v1/orders/{order['id']}"
        step = "release"
        await _ok(await _post(production, f"{url}/release", f"rel-{n}", deadline))

        async def reserved() -> bool:
            body = (await production.get(url)).json()
            return body["materials_status"] == "reserved"

        step = "reservation confirmed"
        if not await _until(reserved, deadline):
            figures.fail(step)
            return
        step = "complete"
        await _ok(
            await _post(
                production,
                f"{url}/complete",
                f"done-{n}",
                deadline,
                {"good_quantity": "1", "scrap_quantity": "0"},
            )
        )
        step = "ship"
        attempt = 0

        async def shipped() -> bool:
            nonlocal attempt
            attempt += 1
            response = await _post(
                logistics,
                f"/api/v1/delivery-orders/{delivery['id']}/ship",
                f"ship-{n}-{attempt}",
                deadline,
                {},
            )
            if response.status_code == 409 and "shortages" in response.text:
                return False  # the finished bike is not in stock yet (its event is on the way)
            await _ok(response)
            return True

        if not await _until(shipped, deadline):
            figures.fail(step)
            return
    except (RuntimeError, httpx.HTTPError) as exc:
        figures.fail(f"{step}: {exc!r}"[:160])
        return
    done = time.monotonic()
    figures.shipped.append((done - started) * 1000)
    figures.last_done = max(figures.last_done, done)


async def _broker_latency(bootstrap: str, rate: float, seconds: float) -> list[float]:
    """Produce-to-consume latency of raw messages on a scratch topic, in milliseconds."""
    topic = f"bench.scratch.{os.getpid()}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0, acks="all")
    settings = Settings(kafka_bootstrap=bootstrap)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=settings.consumer_fetch_wait_ms,
    )
    await producer.start()
    await producer.send_and_wait(topic, b"{}")  # the topic exists before the consumer joins
    await consumer.start()
    latencies: list[float] = []
    count = max(1, int(rate * seconds))

    async def consume() -> None:
        while len(latencies) < count:
            batches = await consumer.getmany(timeout_ms=500)
            now = time.time()
            for records in batches.values():
                for record in records:
                    sent = json.loads(record.value or b"{}").get("sent")
                    if sent is not None:
                        latencies.append((now - sent) * 1000)

    reader = asyncio.create_task(consume())
    try:
        for n in range(count):
            await producer.send_and_wait(topic, json.dumps({"n": n, "sent": time.time()}).encode())
            await asyncio.sleep(1 / rate)
        await asyncio.wait_for(reader, 30)
    except TimeoutError:
        pass
    finally:
        reader.cancel()
        await producer.stop()
        await consumer.stop()
    return latencies


async def _run(running: RunningServices, rate: float, seconds: float, drain: float) -> None:
    http = _clients(running)
    orders = int(rate * seconds)
    try:
        await _plant(http, orders)
        figures = Figures()
        started = time.monotonic()
        deadline = started + seconds + drain
        broker = asyncio.create_task(_broker_latency(running.broker.bootstrap, rate * 6, seconds))
        tasks = []
        for n in range(orders):
            tasks.append(asyncio.create_task(_one_order(http, n, figures, deadline)))
            await asyncio.sleep(max(0.0, started + (n + 1) / rate - time.monotonic()))
        await asyncio.gather(*tasks)
        raw = await broker
    finally:
        for client in http.values():
            await client.aclose()
    _report(figures, raw, rate, seconds, started)


def _report(
    figures: Figures, raw: list[float], rate: float, seconds: float, started: float
) -> None:
    shipped = figures.shipped
    lost = figures.started - len(shipped)
    span = (figures.last_done - started) if shipped else float("nan")
    print("make-to-order under load (embedded default: SQLite, Tansu; real processes)")
    print(
        f"  machine            {os.cpu_count()} cpus, {platform.processor() or platform.machine()}"
    )
    print(f"  offered            {rate:g} orders/s for {seconds:g} s ({figures.started} orders)")
    print(
        f"  shipped            {len(shipped)} (lost: {lost}: not shipped by the end of the drain)"
    )
    if figures.failures:
        for step, count in sorted(figures.failures.items()):
            print(f"    stopped at {step}: {count}")
    if shipped:
        print(
            f"  sustained          {len(shipped) / span:.2f} orders/s (all shipped within {span:.1f} s)"
        )
        print(f"  end-to-end p50     {percentile(shipped, 0.50):.0f} ms")
        print(f"  end-to-end p99     {percentile(shipped, 0.99):.0f} ms")
        print(
            f"  end-to-end max     {max(shipped):.0f} ms (mean {statistics.fmean(shipped):.0f} ms)"
        )
    if raw:
        print(
            f"  broker alone       {len(raw)} raw messages at {rate * 6:g}/s: produce->consume "
            f"p50 {percentile(raw, 0.5):.1f} ms, p99 {percentile(raw, 0.99):.1f} ms"
        )


def main() -> None:
    """Run the load and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=2.0, help="new orders per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long orders keep coming")
    parser.add_argument("--drain", type=float, default=90.0, help="time left to finish after")
    args = parser.parse_args()
    with services(*SERVICES) as running:
        asyncio.run(_run(running, args.rate, args.seconds, args.drain))


if __name__ == "__main__":
    main()
