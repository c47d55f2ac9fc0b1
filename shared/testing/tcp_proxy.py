"""A TCP proxy for tests that closes connections idle for a while, as Apache Kafka does
(`connections.max.idle.ms`)."""

from __future__ import annotations

import asyncio
import contextlib
import time

from shared.embedded_broker import free_port


class IdleClosingProxy:
    """Forwards 127.0.0.1:<port> to a target; a connection idle for `idle_seconds` is closed."""

    def __init__(self, target_host: str, target_port: int, idle_seconds: float) -> None:
        self.target = (target_host, target_port)
        self.idle_seconds = idle_seconds
        self.port = free_port()
        self.closed_idle = 0
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    @property
    def address(self) -> str:
        """host:port clients connect to."""
        return f"127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._connections):
            task.cancel()
        for task in list(self._connections):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            self._connections.discard(task)
            return
        last_active = [time.monotonic()]

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                last_active[0] = time.monotonic()
                sink.write(data)
                await sink.drain()

        pumps = [
            asyncio.create_task(pump(reader, up_writer)),
            asyncio.create_task(pump(up_reader, writer)),
        ]
        try:
            while not any(p.done() for p in pumps):
                if time.monotonic() - last_active[0] > self.idle_seconds:
                    self.closed_idle += 1
                    break
                await asyncio.sleep(0.1)
        finally:
            for p in pumps:
                p.cancel()
            for w in (writer, up_writer):
                w.close()
            self._connections.discard(task)
