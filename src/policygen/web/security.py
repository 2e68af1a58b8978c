"""ASGI middleware for what every response must carry and every request may
not exceed: security headers, and a body limit enforced while the body is
read (a client that lies about Content-Length, or sends none, is stopped at
the limit, not after the whole upload is on disk)."""

from __future__ import annotations

import asyncio
import logging
import time

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


class BodyTooSlow(Exception):
    """Raised from `receive` when a request body stops coming, or comes too slowly."""


class BodyLimit:
    """Refuse bodies over `max_bytes`: at once from Content-Length, and while
    reading for chunked or understated bodies."""

    def __init__(self, app: ASGIApp, max_bytes: int, on_too_large: ASGIApp,
                 path_limits: dict[str, int] | None = None, on_too_slow: ASGIApp | None = None,
                 idle_seconds: float = 20, body_seconds: float = 300) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_too_large = on_too_large
        self.on_too_slow = on_too_slow or on_too_large
        self.idle_seconds, self.body_seconds = idle_seconds, body_seconds
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
        body_done = False
        began = time.monotonic()

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:
                return await receive()
            # A body that trickles in (a byte every few seconds) holds a connection
            # and a request's place: it is cut when a piece does not come in time,
            # or the whole takes longer than a slow line needs for the limit.
            remaining = self.body_seconds - (time.monotonic() - began)
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.1, min(self.idle_seconds, remaining)))
            except TimeoutError:
                raise BodyTooSlow() from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
                body_done = not message.get("more_body", False)
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
        except BodyTooSlow:
            if not started:
                await self.on_too_slow(scope, receive, send)


# -- cross-site requests and host names ---------------------------------------------

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def host_name(host_header: str) -> str:
    """'Example.se:8000' → 'example.se'; '[::1]:8000' → '::1'."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class SiteGuard:
    """Two checks before any route runs:

    - the Host header must name this server (`allowed_hosts`): a page on another
      site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing;
    - a state-changing request (POST) must come from this site's own pages: a
      browser says so in Sec-Fetch-Site (same-origin, or none when typed) and
      Origin. Requests without either (scripts, old browsers) are judged by
      the form's token alone (`form_token_valid`); the API (web/api.py) has
      no form, so a server calling it, which sends neither, is let through
      here and judged by the API key, when there is one."""

    def __init__(self, app: ASGIApp, allowed_hosts: set[str], on_refused: ASGIApp) -> None:
        self.app = app
        self.allowed_hosts = {host_name(h) for h in allowed_hosts}
        self.on_refused = on_refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = host_name(_header(scope, b"host") or "")
        if "*" not in self.allowed_hosts and host not in self.allowed_hosts:
            scope["policygen.refused"] = "host"
            await self.on_refused(scope, receive, send)
            return
        if scope.get("method", "GET") not in _SAFE_METHODS and not self._same_site(scope, host):
            scope["policygen.refused"] = "cross-site"
            await self.on_refused(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _same_site(self, scope: Scope, host: str) -> bool:
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site is not None and fetch_site.lower() not in ("same-origin", "none"):
            return False
        origin = _header(scope, b"origin")
        # "null" is what a browser sends for our own forms under Referrer-Policy:
        # no-referrer; Sec-Fetch-Site (above) and the form token decide then.
        if origin is not None and origin != "null":
            origin_host = origin.split("://", 1)[-1].split("/", 1)[0]
            return origin_host.lower() == (_header(scope, b"host") or "").strip().lower()
        return True


class FormTokens:
    """A token in every form this server sends, checked on every post: made
    from a secret that lives as long as the server, the time and the client's
    address, so it cannot be made elsewhere, nor used from another address,
    and it runs out after `max_age` seconds. No cookie and no stored state."""

    FIELD = "skydd"

    def __init__(self, max_age: int = 12 * 3600) -> None:
        import secrets

        self._secret = secrets.token_bytes(32)
        self.max_age = max_age

    def _mac(self, issued: str, client: str) -> str:
        import hashlib
        import hmac

        return hmac.new(self._secret, f"{issued}|{client}".encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, client: str) -> str:
        import time

        issued = str(int(time.time()))
        return f"{issued}.{self._mac(issued, client)}"

    def valid(self, token: str, client: str) -> bool:
        import hmac
        import time

        issued, _, mac = token.partition(".")
        if not issued.isdigit() or len(issued) > 12:
            return False
        if not 0 <= time.time() - int(issued) <= self.max_age:
            return False
        return hmac.compare_digest(mac, self._mac(issued, client))
