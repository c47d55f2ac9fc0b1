"""Start the embedded broker and services as real processes for a benchmark, and stop them."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from shared.embedded_broker import EmbeddedBroker, free_port, port_open


@dataclass
class RunningServices:
    """Where the benchmark's broker and services listen."""

    data_dir: Path
    broker: EmbeddedBroker
    ports: dict[str, int] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        """Base URL of a service."""
        return f"http://127.0.0.1:{self.ports[service]}"

    def database(self, service: str) -> Path:
        """The service's SQLite file."""
        return self.data_dir / f"{service}.db"


@contextmanager
def services(*names: str, **extra_env: str) -> Iterator[RunningServices]:
    """Run the broker and the named services (SQLite under a temporary folder) as processes."""
    with tempfile.TemporaryDirectory(prefix="plantline-bench-") as folder:
        data_dir = Path(folder)
        broker = EmbeddedBroker(free_port(), log_path=data_dir / "broker.log")
        broker.start()
        running = RunningServices(data_dir, broker)
        running.env = {
            **os.environ,
            "PLANTLINE_DATA_DIR": str(data_dir),
            "PLANTLINE_KAFKA_BOOTSTRAP": broker.bootstrap,
            "PLANTLINE_DEV_MODE": "true",
            "PLANTLINE_LOG_LEVEL": "WARNING",
            **extra_env,
        }
        for name in names:
            running.ports[name] = free_port()
            running.env[f"PLANTLINE_{name.upper()}_URL"] = f"http://127.0.0.1:{running.ports[name]}"
        children = []
        try:
            for name in names:
                env = {**running.env, "PLANTLINE_HTTP_PORT": str(running.ports[name])}
                log = open(data_dir / f"{name}.log", "ab")  # noqa: SIM115
                children.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "shared.launcher", "serve", name],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
            for name, child in zip(names, children, strict=True):
                deadline = time.monotonic() + 60
                while not port_open("127.0.0.1", running.ports[name]):
                    if child.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"{name} did not start; see {data_dir / (name + '.log')}"
                        )
                    time.sleep(0.1)
            yield running
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(15)
                except subprocess.TimeoutExpired:
                    child.kill()
            broker.stop()


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]
