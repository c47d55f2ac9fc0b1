"""MRP benchmark: a generated catalogue planned over a year of weekly buckets.

    python -m bench.mrp [--items 10000] [--levels 6] [--demands 20000] [--weeks 52] [--seed 7]

Prints the input size, the planning time, the peak memory traced during planning (tracemalloc)
and the process's peak resident size, and what came out.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

from services.production.domain.mrp import (
    BomEdge,
    Demand,
    LotSizing,
    MrpInput,
    PlanItem,
    ScheduledReceipt,
    plan,
)

SCRAP = (Decimal(1), Decimal(1), Decimal("1.02"), Decimal("1.05"))


def catalogue(items: int, levels: int, demands: int, weeks: int, seed: int) -> MrpInput:
    """Items spread over `levels` levels; each made item has 2-4 components from deeper levels."""
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    finished = items // 10
    per_level = (items - finished) // (levels - 1)
    layers: list[list[str]] = [[f"FG-{i:05d}" for i in range(finished)]]
    for level in range(1, levels):
        count = per_level if level < levels - 1 else items - finished - per_level * (levels - 2)
        layers.append([f"L{level}-{i:05d}" for i in range(count)])
    plan_items: list[PlanItem] = []
    edges: list[BomEdge] = []
    on_hand: dict[str, Decimal] = {}
    receipts: list[ScheduledReceipt] = []
    lots = (
        LotSizing(),
        LotSizing(),
        LotSizing.fixed(rng.choice((50, 100, 250))),
        LotSizing.min_multiple(20, 10),
    )
    for level, layer in enumerate(layers):
        last = level == levels - 1
        for sku in layer:
            plan_items.append(
                PlanItem(
                    sku,
                    "buy" if last else "make",
                    lead_time_days=rng.choice((0, 3, 7, 14)),
                    safety_stock=Decimal(rng.choice((0, 0, 5, 10))),
                    lot=rng.choice(lots),
                    supplier="SUP-1" if last else None,
                )
            )
            on_hand[sku] = Decimal(rng.randrange(0, 200))
            if rng.random() < 0.2:
                receipts.append(
                    ScheduledReceipt(
                        sku,
                        start + timedelta(days=rng.randrange(0, weeks * 7)),
                        Decimal(rng.randrange(10, 100)),
                        f"OPEN-{sku}",
                    )
                )
            if not last:
                # Mostly the next level down, sometimes deeper: shared parts get high low-level codes.
                for _ in range(rng.randint(2, 4)):
                    below = layers[min(levels - 1, level + 1 + (rng.random() < 0.2))]
                    edges.append(
                        BomEdge(sku, rng.choice(below), rng.choice((1, 2, 3)) * rng.choice(SCRAP))
                    )
    demand_lines = tuple(
        Demand(
            rng.choice(layers[0]),
            start + timedelta(days=rng.randrange(0, weeks * 7)),
            Decimal(rng.randrange(1, 50)),
            f"SO-{n:05d}",
        )
        for n in range(demands)
    )
    return MrpInput(
        start=start,
        horizon_days=weeks * 7,
        bucket="week",
        items=tuple(plan_items),
        edges=tuple(edges),
        on_hand=on_hand,
        receipts=tuple(receipts),
        demands=demand_lines,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--levels", type=int, default=6)
    parser.add_argument("--demands", type=int, default=20_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = catalogue(args.items, args.levels, args.demands, args.weeks, args.seed)
    print(
        f"items {len(data.items)}, BOM lines {len(data.edges)}, levels {args.levels}, "
        f"demand lines {len(data.demands)}, open orders {len(data.receipts)}, "
        f"{args.weeks} weekly buckets"
    )
    began = time.perf_counter()
    cpu = time.process_time()
    result = plan(data)
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu
    orders = result.planned_orders
    count = len(orders)
    made = sum(order.kind == "make" for order in orders)
    pegs = sum(len(order.pegged_to) for order in orders)
    levels = max(result.low_level_codes.values())
    kinds = {
        kind: sum(e.kind == kind for e in result.exceptions)
        for kind in ("late", "expedite", "cancel")
    }
    del result, orders
    # Memory traced on a second run: tracemalloc slows allocation-heavy code down several times.
    tracemalloc.start()
    plan(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"planning time {elapsed:.2f} s wall, {cpu:.2f} s CPU")
    print(f"peak traced memory {peak / 2**20:.1f} MiB, peak resident {rss_mb:.0f} MiB")
    print(
        f"planned orders {count} (make {made}, buy {count - made}), pegs {pegs}, "
        f"max low-level code {levels}, exceptions {kinds}"
    )


if __name__ == "__main__":
    main()
