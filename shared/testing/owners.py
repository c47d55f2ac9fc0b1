"""Stand-ins for another service that cannot serve, for tests of how a caller copes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def failing_service(status: int) -> Starlette:
    """A service that answers every request with this error status."""

    async def fail(request: Request) -> JSONResponse:
        return JSONResponse({"detail": "broken"}, status_code=status)

    return Starlette(routes=[Route("/{path:path}", fail)])
