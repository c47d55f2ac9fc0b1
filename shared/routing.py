"""What the route a request is going to reach declares, read before the route runs.

Middleware that must act before a route (the Idempotency-Key store) asks here which route a
request matches and which of the route's dependencies carry a marker attribute, e.g. the scope
that `shared.auth.require_scope` demands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match
from starlette.types import Scope


def matched_route(scope: Scope) -> APIRoute | None:
    """The API route this request fully matches (path and method), or None."""
    router = getattr(scope.get("app"), "router", None)
    return _match(getattr(router, "routes", ()), scope)


def _match(routes: Iterable[BaseRoute], scope: Scope) -> APIRoute | None:
    for route in routes:
        # FastAPI keeps an included router as a wrapper around it; its routes carry their
        # full paths and the router's dependencies when it is included without a prefix.
        included = getattr(route, "original_router", None)
        if included is not None:
            if getattr(getattr(route, "include_context", None), "prefix", "") == "":
                found = _match(included.routes, scope)
                if found is not None:
                    return found
            continue
        if isinstance(route, APIRoute) and route.matches(scope)[0] == Match.FULL:
            return route
    return None


def dependency_calls(route: APIRoute) -> Iterator[Callable[..., Any]]:
    """Every callable the route depends on, at any depth, each once."""
    seen: set[int] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        for sub in dependant.dependencies:
            if sub.call is not None and id(sub.call) not in seen:
                seen.add(id(sub.call))
                yield sub.call
            pending.append(sub)


def markers(route: APIRoute, attribute: str) -> list[Any]:
    """The values of `attribute` on the route's dependencies that carry it."""
    return [
        getattr(call, attribute) for call in dependency_calls(route) if hasattr(call, attribute)
    ]
