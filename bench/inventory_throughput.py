"""Stock ledger throughput over HTTP, and proof that contention never takes stock below zero.

    python -m bench.inventory_throughput [--receipts 1000] [--reservations 1000] [--issues 2000]
        [--concurrency 16] [--skus 20] [--hot-stock 50] [--database-url postgresql+asyncpg://...]

First a bare FastAPI endpoint (bench/bare_app.py: same server, body validation only) takes as
many movement-shaped posts, for the floor. Then inventory runs as a real process (SQLite by
default, or the given empty database) with the embedded broker. Phase 1 receipts spread over
many skus; then one-line reservations on them; the ratio of each to the bare endpoint's rate
is printed. Phase 3 issues of one unit, all at once,
against a few hot skus holding less than is asked, so most of them race for the same rows. It
then checks the books: on hand = received - issued per sku, nothing below zero, and a rebuild
from the ledger finds nothing to correct.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal

import httpx

from bench.processes import percentile, services
from shared.auth import mint_token
from shared.embedded_broker import free_port, port_open
from shared.settings import Settings


async def _timed_posts(
    client: httpx.AsyncClient,
    bodies: Sequence[Mapping[str, object]],
    concurrency: int,
    path: str = "/api/v1/movements",
) -> tuple[float, list[float], Counter[int]]:
    limit = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    codes: Counter[int] = Counter()

    async def post(body: Mapping[str, object]) -> None:
        async with limit:
            started = time.perf_counter()
            response = await client.post(path, json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            codes[response.status_code] += 1

    started = time.perf_counter()
    await asyncio.gather(*(post(body) for body in bodies))
    return time.perf_counter() - started, latencies, codes


def _report(
    name: str, count: int, elapsed: float, latencies: list[float], codes: Counter[int]
) -> float:
    print(
        f"  {name:<9} {count} in {elapsed:.2f} s = {count / elapsed:.0f}/s; "
        f"p50 {percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms; "
        f"answers {dict(sorted(codes.items()))}"
    )
    return count / elapsed


def _bare_rate(args: argparse.Namespace) -> float:
    """Requests per second of a bare FastAPI endpoint under the same load, same machine."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.bare_app", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port):
            if time.monotonic() > deadline:
                raise SystemExit("the bare FastAPI app did not start")
            time.sleep(0.1)

        async def run() -> float:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                bodies = [
                    {"kind": "receipt", "sku": f"BARE-{n % 20}", "quantity": "3", "unit_cost": "2"}
                    for n in range(args.receipts)
                ]
                elapsed, latencies, codes = await _timed_posts(
                    client, bodies, args.concurrency, "/movements"
                )
                return _report("bare", len(bodies), elapsed, latencies, codes)

        return asyncio.run(run())
    finally:
        server.terminate()
        server.wait(10)


async def _run(url: str, args: argparse.Namespace, bare: float) -> None:
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
        movements = _report("receipts", len(receipts), elapsed, latencies, codes)
        reservations = [
            {"reference": f"BENCH-{n}", "lines": [{"sku": cold[n % len(cold)], "quantity": "1"}]}
            for n in range(args.reservations)
        ]
        elapsed, latencies, codes = await _timed_posts(
            client, reservations, args.concurrency, "/api/v1/reservations"
        )
        reserving = _report("reserve", len(reservations), elapsed, latencies, codes)
        print(
            f"  ratio to bare FastAPI: movements {movements / bare:.2f}, "
            f"reservations {reserving / bare:.2f}"
        )

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
    parser.add_argument("--reservations", type=int, default=1000)
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--skus", type=int, default=20)
    parser.add_argument("--hot-skus", type=int, default=2)
    parser.add_argument("--hot-stock", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="An empty database to use instead.")
    args = parser.parse_args()
    extra = {"PLANTLINE_DATABASE_URL": args.database_url} if args.database_url else {}
    print(f"bare FastAPI endpoint (concurrency {args.concurrency}, same server, no database)")
    bare = _bare_rate(args)
    with services("inventory", **extra) as running:
        asyncio.run(_run(running.url("inventory"), args, bare))


if __name__ == "__main__":
    main()
