"""Longer fuzzing run: every operation of every service against its OpenAPI document.

python -m bench.fuzz [--examples 50] [--service inventory]
Each service runs in-process on a throwaway SQLite database with messaging off, beside the
services it asks about references.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from shared.settings import SERVICES
from shared.testing.databases import ThrowawayDatabases
from shared.testing.fuzz import OWNERS_ASKED, fuzz
from shared.testing.stack import Stack


async def _fuzz_service(name: str, folder: Path, examples: int) -> int:
    # With the services it asks about references its views have not heard of (messaging off:
    # nothing fills the views, so every reference is asked of its owner).
    stack = Stack(
        "127.0.0.1:9",
        ThrowawayDatabases("sqlite", folder / name),
        enable_messaging=False,
        log_level="ERROR",
    )
    try:
        *_owners, client = await stack.start(*OWNERS_ASKED.get(name, ()), name)
        started = time.perf_counter()
        report = await fuzz(client, max_examples=examples, derandomize=False)
        elapsed = time.perf_counter() - started
    finally:
        await stack.close()
    print(
        f"{name:<11} operations={report.operations:<4} examples={report.examples:<6} "
        f"failures={len(report.failures):<4} mismatches={len(report.mismatches):<4} "
        f"seconds={elapsed:.1f}"
    )
    for finding in report.findings:
        print(f"    {finding}")
    return len(report.findings)


async def _main(services: list[str], examples: int) -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for name in services:
            failures += await _fuzz_service(name, Path(folder), examples)
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=50, help="examples per operation")
    parser.add_argument("--service", choices=SERVICES, action="append")
    args = parser.parse_args()
    failures = asyncio.run(_main(args.service or list(SERVICES), args.examples))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
