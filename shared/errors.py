"""RFC 9457 problem details: the exceptions services raise and the handlers that render them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

from shared.numbers import AmountOutOfRange

PROBLEM_BASE = "urn:plantline:problem:"
PROBLEM_MEDIA_TYPE = "application/problem+json"
RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance"})
"""The members RFC 9457 defines; an extension may never replace one."""
STATE_MEMBER = "current_status"
"""Where a problem carries the state of the resource it is about."""

log = logging.getLogger("plantline.errors")


class Problem(Exception):
    """A failure the client can understand; rendered as application/problem+json."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = _extension_members(extensions)

    @property
    def type(self) -> str:
        """Stable problem type URI."""
        return PROBLEM_BASE + self.slug

    def body(self, instance: str | None = None) -> dict[str, Any]:
        """The problem document."""
        document = {k: v for k, v in self.extensions.items() if k not in RESERVED_MEMBERS}
        document.update(type=self.type, title=self.title, status=self.status, detail=self.detail)
        if instance:
            document["instance"] = instance
        return document


def _extension_members(extensions: dict[str, Any]) -> dict[str, Any]:
    """Extensions as given, except that a resource's `status` moves to `current_status`.

    `status` is the HTTP status code in every problem; the other reserved members cannot be
    given as extensions at all.
    """
    members = dict(extensions)
    if "status" in members:
        members.setdefault(STATE_MEMBER, members.pop("status"))
        members.pop("status", None)
    clashing = sorted(RESERVED_MEMBERS & members.keys())
    if clashing:
        raise TypeError(f"problem extensions may not replace {', '.join(clashing)}")
    return members


class InvalidInput(Problem):
    """The request is well-formed JSON but its content is not acceptable."""

    status, slug, title = 422, "validation-error", "Invalid input"


class NotFound(Problem):
    """The resource named does not exist."""

    status, slug, title = 404, "not-found", "Not found"


class Conflict(Problem):
    """The request conflicts with the current state."""

    status, slug, title = 409, "conflict", "Conflict with current state"


class AlreadyExists(Conflict):
    """A resource with that key exists already."""

    slug, title = "already-exists", "Already exists"


class IllegalTransition(Conflict):
    """The resource's state does not allow this action."""

    slug, title = "illegal-transition", "Illegal state transition"


class InsufficientStock(Conflict):
    """Not enough available stock."""

    slug, title = "insufficient-stock", "Insufficient stock"


class PreconditionFailed(Problem):
    """The If-Match version is stale."""

    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PreconditionRequired(Problem):
    """An update came without If-Match."""

    status, slug, title = 428, "precondition-required", "If-Match required"


class Unauthorized(Problem):
    """No valid credentials."""

    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(Problem):
    """Valid credentials without the needed scope."""

    status, slug, title = 403, "forbidden", "Forbidden"


class PayloadTooLarge(Problem):
    """The body is larger than allowed."""

    status, slug, title = 413, "payload-too-large", "Payload too large"


class ServiceUnavailable(Problem):
    """A dependency is down."""

    status, slug, title = 503, "unavailable", "Service unavailable"


def problem_response(
    problem: Problem, instance: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """Render a problem."""
    sent = dict(headers or {})
    if problem.status == 401:
        sent.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=sent or None,
    )


PROBED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route of the app answers on the request's path."""
    allowed = []
    for method in PROBED_METHODS:
        # A fresh scope per method: routing marks the scope it matches.
        probe: Scope = {
            "type": "http",
            "method": method,
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "headers": [],
            "query_string": b"",
        }
        if any(route.matches(probe)[0] == Match.FULL for route in app.router.routes):
            allowed.append(method)
    return allowed


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    fields = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        fields.append(
            {
                "field": ".".join(location),
                "message": error.get("msg", ""),
                "code": error.get("type", ""),
            }
        )
    return fields


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error as problem+json and never leak a stack trace."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _field_errors(exc)
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "invalid request"
        return problem_response(InvalidInput(detail, errors=fields), request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        problem = Problem(str(exc.detail))
        problem.status = exc.status_code
        problem.slug = {404: "not-found", 405: "method-not-allowed"}.get(
            exc.status_code, "http-error"
        )
        problem.title = str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; list them all.
            headers["Allow"] = ", ".join(allowed_methods(app, request.scope))
        return problem_response(problem, request.url.path, headers)

    @app.exception_handler(StatementError)
    async def _statement(request: Request, exc: StatementError) -> JSONResponse:
        # A computed amount (quantity x price, a running total) beyond the stored precision.
        if isinstance(exc.orig, AmountOutOfRange):
            return problem_response(InvalidInput(str(exc.orig)), request.url.path)
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        problem = Problem("An unexpected error occurred; it has been logged.")
        problem.status, problem.slug, problem.title = 500, "internal-error", "Internal error"
        return problem_response(problem, request.url.path)


def unknown_code(
    noun: str,
    code: str,
    suggestion: str | None = None,
    problem: type[Problem] = NotFound,
    /,
    **context: Any,
) -> Problem:
    """The problem of a code nothing has, suggesting the one that differs only in case."""
    if suggestion is None:
        return problem(f"Unknown {noun} '{code}'.", **context)
    return problem(
        f"Unknown {noun} '{code}'; did you mean '{suggestion}'?", suggestion=suggestion, **context
    )
