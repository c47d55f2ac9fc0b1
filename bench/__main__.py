"""Run every benchmark, or those named: `python -m bench [event_latency inventory_throughput ...]`."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

BENCHMARKS = ["event_latency", "inventory_throughput", "mrp", "scheduler", "load"]


def main() -> None:
    """Run the benchmarks one after another in their own processes."""
    chosen = sys.argv[1:] or BENCHMARKS
    failed = []
    for name in chosen:
        if importlib.util.find_spec(f"bench.{name}") is None:
            print(f"== {name}: not available\n")
            continue
        print(f"== {name}", flush=True)
        if subprocess.call([sys.executable, "-m", f"bench.{name}"]) != 0:
            failed.append(name)
        print(flush=True)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
