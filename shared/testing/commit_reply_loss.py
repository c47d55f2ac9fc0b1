"""A TCP proxy to PostgreSQL that loses the reply to one COMMIT: the commit took effect, the
client only sees its connection drop, so the outcome is unknown to it."""

from __future__ import annotations

import asyncio
import contextlib
import struct

# Untyped messages a client may send before its startup message (SSLRequest, GSSENCRequest).
_PRE_STARTUP_CODES = {80877103, 80877104}


class CommitReplyLoss:
    """Forwards connections to PostgreSQL; once armed, cuts one after its COMMIT is answered.

    The connection cut is the first whose transaction sent `marker` (e.g. a statement's text)
    and then COMMIT: the COMMIT reaches the server, which commits and answers; the answer is
    dropped and both sides of the connection are closed. The client's driver must send SQL text
    in the clear: connect with `ssl=disable` and, for asyncpg, without a statement cache.
    """

    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5432) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.marker: bytes | None = None
        self.cut = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._pumps: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        """Listen on a free local port; returns it."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    def arm(self, marker: bytes) -> None:
        """Lose the reply to the next COMMIT of a transaction that sent `marker`."""
        self.cut.clear()
        self.marker = marker

    async def close(self) -> None:
        """Stop listening and end every forwarded connection."""
        if self._server is not None:
            self._server.close()
        for pump in list(self._pumps):
            pump.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)

    async def _serve(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        server_in, server_out = await asyncio.open_connection(*self.upstream)
        connection = _Connection(client_out, server_out)
        for pump in (
            self._client_to_server(client_in, connection),
            self._server_to_client(server_in, connection),
        ):
            task = asyncio.create_task(pump)
            self._pumps.add(task)
            task.add_done_callback(self._pumps.discard)

    async def _client_to_server(
        self, reader: asyncio.StreamReader, connection: _Connection
    ) -> None:
        try:
            while True:
                length = struct.unpack("!I", await reader.readexactly(4))[0]
                body = await reader.readexactly(length - 4)
                connection.server.write(struct.pack("!I", length) + body)
                if struct.unpack("!I", body[:4])[0] not in _PRE_STARTUP_CODES:
                    break
            seen_marker = False
            while True:
                kind = await reader.readexactly(1)
                length = struct.unpack("!I", await reader.readexactly(4))[0]
                body = await reader.readexactly(length - 4)
                if self.marker is not None and self.marker in body:
                    seen_marker = True
                commit = kind == b"Q" and body.strip(b"\0; ").upper() == b"COMMIT"
                if commit and seen_marker and self.marker is not None:
                    self.marker = None
                    connection.losing = True
                connection.server.write(kind + struct.pack("!I", length) + body)
                await connection.server.drain()
                if kind == b"Q" and body.strip(b"\0; ").upper() in {b"COMMIT", b"ROLLBACK"}:
                    seen_marker = False
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            connection.close()

    async def _server_to_client(
        self, reader: asyncio.StreamReader, connection: _Connection
    ) -> None:
        try:
            while data := await reader.read(65536):
                if connection.losing:
                    # The server answered the COMMIT: it took effect. The client never hears it.
                    self.cut.set()
                    break
                connection.client.write(data)
                await connection.client.drain()
        except ConnectionError:
            pass
        finally:
            connection.close()


class _Connection:
    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server
        self.losing = False

    def close(self) -> None:
        for writer in (self.client, self.server):
            with contextlib.suppress(Exception):
                writer.close()
