"""Play the bicycle factory's week against a running `make run`:

python -m bench.demo [--out var/demo]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

import httpx

from bench.demo.api import Plant
from bench.demo.play import play
from shared.auth import ALL_SCOPES, mint_token
from shared.settings import SERVICES, Settings


async def main(out: Path) -> None:
    """Connect to the four services on their configured ports and play the week."""
    token = mint_token(Settings().jwt_secret, ALL_SCOPES, subject="demo")
    clients = {
        name: httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{Settings(service=name).port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        for name in SERVICES
    }
    started = time.monotonic()
    try:
        await play(Plant(clients), out, lambda line: print(line, flush=True))
    finally:
        for client in clients.values():
            await client.aclose()
    print(f"\nplayed in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("var/demo"))
    asyncio.run(main(parser.parse_args().out))
