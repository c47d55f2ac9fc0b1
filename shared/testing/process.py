"""One service as a real process (the launcher under uvicorn), for tests that kill it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from shared.embedded_broker import free_port, port_open


class ServiceProcess:
    """`python -m shared.launcher serve <service>` on its own port and SQLite file."""

    def __init__(self, service: str, folder: Path, **settings: str) -> None:
        self.service = service
        self.port = free_port()
        self.database_url = f"sqlite+aiosqlite:///{folder / service}.db"
        self.log_path = folder / f"{service}.process.log"
        self.env = {
            **os.environ,
            "PLANTLINE_DATABASE_URL": self.database_url,
            "PLANTLINE_HTTP_PORT": str(self.port),
            "PLANTLINE_DEV_MODE": "true",
            "PLANTLINE_LOG_LEVEL": "WARNING",
            **{f"PLANTLINE_{name.upper()}": value for name, value in settings.items()},
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self) -> subprocess.Popen[bytes]:
        with open(self.log_path, "ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "shared.launcher", "serve", self.service],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def start(self, timeout: float = 60.0) -> None:
        """Start (or start again) and wait until it answers /health/live."""
        self.process = await asyncio.to_thread(self._spawn)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.service} exited; see {self.log_path}")
            if port_open("127.0.0.1", self.port):
                async with httpx.AsyncClient(base_url=self.url) as client:
                    try:
                        if (await client.get("/health/live")).status_code == 200:
                            return
                    except httpx.HTTPError:
                        pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.service} did not start; see {self.log_path}")
            await asyncio.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM and wait (kill if it hangs)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
