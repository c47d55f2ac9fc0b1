"""Per-request context: request id, W3C trace context, body size limit, metrics, access log."""

from __future__ import annotations

import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import PayloadTooLarge, problem_response
from shared.observability import HTTP_REQUESTS, new_traceparent, request_id_var, traceparent_var
from shared.tracing import current_traceparent

log = logging.getLogger("plantline.http")


class RequestContextMiddleware:
    """Sets request and trace ids for logs and events, limits bodies, records metrics."""

    def __init__(self, app: ASGIApp, service: str, max_body_bytes: int) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id", b"").decode()[:100] or uuid.uuid4().hex
        # The server span of the tracing middleware around this one, when spans are recorded.
        traceparent = current_traceparent() or new_traceparent(
            headers.get(b"traceparent", b"").decode() or None
        )
        rid_token = request_id_var.set(request_id)
        tp_token = traceparent_var.set(traceparent)
        started = time.perf_counter()
        status = {"code": 500}

        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            response = problem_response(
                PayloadTooLarge(f"The body may be at most {self.max_body_bytes} bytes."),
                scope["path"],
            )
            await response(scope, receive, send)
            self._finish(scope, 413, started)
            request_id_var.reset(rid_token)
            traceparent_var.reset(tp_token)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise PayloadTooLarge(f"The body may be at most {self.max_body_bytes} bytes.")
            return message

        async def tagged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (b"x-request-id", request_id.encode()),
                    (b"traceparent", traceparent.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, tagged_send)
        finally:
            self._finish(scope, status["code"], started)
            request_id_var.reset(rid_token)
            traceparent_var.reset(tp_token)

    def _finish(self, scope: Scope, status: int, started: float) -> None:
        elapsed = time.perf_counter() - started
        route = scope.get("route")
        path = getattr(route, "path", None) or "unmatched"
        HTTP_REQUESTS.labels(self.service, scope["method"], path, str(status)).observe(elapsed)
        log.info("%s %s -> %d in %.1f ms", scope["method"], scope["path"], status, elapsed * 1000)
