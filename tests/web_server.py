"""The web page served for real on 127.0.0.1 (a free port, in a thread) and
Debian's Chromium for the browser tests. Without Chromium the tests skip on a
developer's machine and fail in CI (CI=true), where .ci/run installs it."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    problem = None
    if path is None:
        problem = "Chromium saknas – installera Debians paket chromium för att köra webbläsartesterna"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            problem = "Playwright saknas – installera testverktygen med 'sh tools/venv.sh test'"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(workers: int = 2) -> Iterator[str]:
    import uvicorn

    from policygen.web.app import create_app

    port = free_port()
    config = uvicorn.Config(create_app(workers), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("webbservern startade inte")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
