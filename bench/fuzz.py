"""Longer fuzzing run: every operation of every service against its OpenAPI document.

python -m bench.fuzz [--examples 50] [--service inventory]
Each service runs in-process on a throwaway SQLite database with messaging off.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import tempfile
import time
from pathlib import Path

from shared.auth import mint_token
from shared.migrations import migrate
from shared.settings import SERVICES, Settings
from shared.testing.fuzz import fuzz
from shared.testing.stack import ALL_SCOPES, ServiceClient


async def _fuzz_service(name: str, folder: Path, examples: int) -> int:
    settings = Settings(
        service=name, data_dir=folder, enable_messaging=False, log_level="ERROR", dev_mode=True
    )
    await migrate(name, settings.resolved_database_url)
    app = importlib.import_module(f"services.{name}.app").create_app(settings)
    token = mint_token(settings.jwt_secret, ALL_SCOPES)
    started = time.perf_counter()
    async with app.router.lifespan_context(app), ServiceClient(app, name, token) as client:
        report = await fuzz(client, max_examples=examples, derandomize=False)
    elapsed = time.perf_counter() - started
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
