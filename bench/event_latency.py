"""Latency from an inventory write to the event being applied in production's item view.

    python -m bench.event_latency [--events 1000] [--concurrency 8]

Runs the embedded default (SQLite, Tansu) as real processes. The latency of each event is the
time its outbox row was written in inventory's transaction until production's inbox recorded
it applied, read from the two databases (same machine clock).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import time
from datetime import datetime

import httpx

from bench.processes import RunningServices, percentile, services
from shared.auth import mint_token
from shared.settings import Settings


def _timestamps(path: str, query: str) -> dict[str, datetime]:
    with sqlite3.connect(path) as connection:
        return {row[0]: datetime.fromisoformat(row[1]) for row in connection.execute(query)}


def _wait_applied(running: RunningServices, count: int) -> None:
    deadline = time.monotonic() + 120
    while _applied(running) < count and time.monotonic() < deadline:
        time.sleep(0.1)


async def _write_items(
    running: RunningServices, count: int, concurrency: int, prefix: str = "LAT"
) -> float:
    token = mint_token(Settings().jwt_secret, "inventory:write")
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        base_url=running.url("inventory"), headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:

        async def create(n: int) -> None:
            async with limit:
                response = await client.post(
                    "/api/v1/items",
                    json={"sku": f"{prefix}-{n:06d}", "name": f"Item {n}", "kind": "raw"},
                )
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(create(n) for n in range(count)))
        return time.perf_counter() - started


def _applied(running: RunningServices) -> int:
    with sqlite3.connect(running.database("production")) as connection:
        return int(connection.execute("SELECT count(*) FROM inbox").fetchone()[0])


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with services("inventory", "production") as running:
        # One warm-up event, applied before the clock starts: production's consumer has joined.
        asyncio.run(_write_items(running, 1, 1, prefix="WARM"))
        _wait_applied(running, 1)
        elapsed = asyncio.run(_write_items(running, args.events, args.concurrency))
        _wait_applied(running, args.events + 1)
        written = _timestamps(
            str(running.database("inventory")), "SELECT event_id, created_at FROM outbox"
        )
        published = _timestamps(
            str(running.database("inventory")), "SELECT event_id, published_at FROM outbox"
        )
        applied = _timestamps(
            str(running.database("production")), "SELECT event_id, applied_at FROM inbox"
        )
    first = min(written.values())
    written = {event_id: at for event_id, at in written.items() if at > first}  # not the warm-up
    latencies = [
        (applied[event_id] - created).total_seconds() * 1000
        for event_id, created in written.items()
        if event_id in applied
    ]
    print("event latency: inventory write -> applied in production's view (embedded default)")
    print(
        f"  events written      {len(written)} in {elapsed:.2f} s ({len(written) / elapsed:.0f}/s over HTTP, concurrency {args.concurrency})"
    )
    print(f"  events applied      {len(latencies)} (lost: {len(written) - len(latencies)})")
    print(f"  p50                 {percentile(latencies, 0.50):.1f} ms")
    print(f"  p99                 {percentile(latencies, 0.99):.1f} ms")
    print(f"  max                 {max(latencies):.1f} ms")
    relay = [
        (published[e] - c).total_seconds() * 1000 for e, c in written.items() if published.get(e)
    ]
    print(
        f"  of which outbox -> broker: p50 {percentile(relay, 0.5):.1f} ms, p99 {percentile(relay, 0.99):.1f} ms"
    )


if __name__ == "__main__":
    main()
