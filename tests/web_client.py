"""A test client that posts like the page's own forms: from the page's host,
with the form token the server put in its forms (and Sec-Fetch-Site as a
browser sends it)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from starlette.testclient import TestClient

from policygen.web.app import create_app

TEST_HOST = "testserver"


def page_app(**options: Any) -> Any:
    return create_app(allowed_hosts={TEST_HOST}, **options)


def _inner(app: Any) -> Any:
    """The Starlette application inside the middleware layers (its state holds the token maker)."""
    while not hasattr(app, "state"):
        app = app.app
    return app


class PageClient(TestClient):
    def token(self) -> str:
        return _inner(self.app).state.tokens.issue("testclient")

    def post(self, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("sec-fetch-site", "same-origin")
        content = kwargs.get("content")
        if isinstance(content, (bytes, str)) and "urlencoded" in headers.get("content-type", ""):
            extra = urllib.parse.urlencode([("skydd", self.token())])
            kwargs["content"] = (content + "&" + extra) if isinstance(content, str) else content + b"&" + extra.encode()
        elif "files" in kwargs or "data" in kwargs:
            kwargs["data"] = {**dict(kwargs.get("data") or {}), "skydd": self.token()}
        return super().post(url, *args, headers=headers, **kwargs)
