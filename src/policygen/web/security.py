"""ASGI middleware for what every response must carry and every request may
not exceed: security headers, and a body limit enforced while the body is
read (a client that lies about Content-Length, or sends none, is stopped at
the limit, not after the whole upload is on disk)."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Only the page's own scripts, styles and images; no frames, no plugins, forms
# post only back here. Downloads of reports made in the browser use data: links.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in names]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class QuietErrors:
    """Outermost layer: an unexpected error has already been answered with a
    Swedish page by the application; here it is logged by its kind only, so
    the server log never holds a traceback with document text in it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as error:  # noqa: BLE001 – the response has been sent
            if scope["type"] != "http":
                raise
            logging.getLogger("policygen.web").error("oväntat fel efter svar: %s", type(error).__name__)


class BodyTooLarge(Exception):
    """Raised from `receive` when a request body passes the limit."""


class BodyLimit:
    """Refuse bodies over `max_bytes`: at once from Content-Length, and while
    reading for chunked or understated bodies."""

    def __init__(self, app: ASGIApp, max_bytes: int, on_too_large: ASGIApp,
                 path_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_too_large = on_too_large
        self.path_limits = path_limits or {}   # smaller limits for routes that take no draft

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self.on_too_large(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self.on_too_large(scope, receive, send)
