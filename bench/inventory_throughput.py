"""Stock ledger throughput over HTTP, and proof that contention never takes stock below zero.

    python -m bench.inventory_throughput [--receipts 1000] [--issues 2000] [--concurrency 16]
        [--skus 20] [--hot-stock 50] [--database-url postgresql+asyncpg://...]

Runs inventory as a real process (SQLite by default, or the given empty database) with the
embedded broker. Phase 1 receipts spread over many skus; phase 2 issues of one unit, all at once,
against a few hot skus holding less than is asked, so most of them race for the same rows. It
then checks the books: on hand = received - issued per sku, nothing below zero, and a rebuild
from the ledger finds nothing to correct.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal

import httpx

from bench.processes import percentile, services
from shared.auth import mint_token
from shared.settings import Settings


async def _timed_posts(
    client: httpx.AsyncClient, bodies: Sequence[Mapping[str, object]], concurrency: int
) -> tuple[float, list[float], Counter[int]]:
    limit = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    codes: Counter[int] = Counter()

    async def post(body: Mapping[str, object]) -> None:
        async with limit:
            started = time.perf_counter()
            response = await client.post("/api/v1/movements", json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            codes[response.status_code] += 1

    started = time.perf_counter()
    await asyncio.gather(*(post(body) for body in bodies))
    return time.perf_counter() - started, latencies, codes


def _report(
    name: str, count: int, elapsed: float, latencies: list[float], codes: Counter[int]
) -> None:
    print(
        f"  {name:<9} {count} in {elapsed:.2f} s = {count / elapsed:.0f}/s; "
        f"p50 {percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms; "
        f"answers {dict(sorted(codes.items()))}"
    )


async def _run(url: str, args: argparse.Namespace) -> None:
    token = mint_token(Settings().jwt_secret, "inventory:read inventory:write admin")
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as client:
        skus = [f"BENCH-{n:03d}" for n in range(args.skus)]
        for sku in skus:
            created = await client.post(
                "/api/v1/items", json={"sku": sku, "name": sku, "kind": "raw", "standard_cost": "1"}
            )
            created.raise_for_status()
        hot = skus[: args.hot_skus]
        cold = skus[args.hot_skus :] or skus
        receipts = [
            {
                "kind": "receipt",
                "sku": cold[n % len(cold)],
                "quantity": "3",
                "unit_cost": str(1 + n % 7),
            }
            for n in range(args.receipts)
        ]
        receipts += [
            {"kind": "receipt", "sku": sku, "quantity": str(args.hot_stock)} for sku in hot
        ]
        elapsed, latencies, codes = await _timed_posts(client, receipts, args.concurrency)
        print(
            f"inventory throughput (concurrency {args.concurrency}, {args.skus} skus, {args.hot_skus} hot)"
        )
        _report("receipts", len(receipts), elapsed, latencies, codes)

        issues = [
            {"kind": "issue", "sku": hot[n % len(hot)], "quantity": "1"} for n in range(args.issues)
        ]
        elapsed, latencies, codes = await _timed_posts(client, issues, args.concurrency)
        _report("issues", len(issues), elapsed, latencies, codes)

        expected_ok = min(args.issues, args.hot_stock * len(hot))
        wrong = []
        for sku in hot:
            stock = (await client.get(f"/api/v1/stock/{sku}")).json()
            if Decimal(stock["on_hand"]) < 0 or Decimal(stock["available"]) < 0:
                wrong.append(f"{sku} below zero: {stock['on_hand']}")
        hot_left = sum(
            [Decimal((await client.get(f"/api/v1/stock/{sku}")).json()["on_hand"]) for sku in hot],
            Decimal(0),
        )
        if codes[201] != expected_ok or hot_left != args.hot_stock * len(hot) - codes[201]:
            wrong.append(f"{codes[201]} issues accepted, {expected_ok} expected; {hot_left} left")
        rebuild = (await client.post("/api/v1/stock/rebuild")).json()
        if rebuild["corrected"]:
            wrong.append(f"rebuild corrected {rebuild['corrected']}")
        print(
            f"  books     issues accepted {codes[201]} of {args.issues} (stock for {expected_ok}); "
            f"hot skus left {hot_left}; rebuild corrected {len(rebuild['corrected'])} skus"
        )
        if wrong:
            raise SystemExit("; ".join(wrong))
        print("  books balance: nothing below zero, ledger and levels agree")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--receipts", type=int, default=1000)
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--skus", type=int, default=20)
    parser.add_argument("--hot-skus", type=int, default=2)
    parser.add_argument("--hot-stock", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="An empty database to use instead.")
    args = parser.parse_args()
    extra = {"PLANTLINE_DATABASE_URL": args.database_url} if args.database_url else {}
    with services("inventory", **extra) as running:
        asyncio.run(_run(running.url("inventory"), args))


if __name__ == "__main__":
    main()
