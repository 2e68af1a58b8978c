"""The web page: Starlette routes over the library. Each route reads the
form, hands document work to the worker pool and renders a Swedish page.

No cookies and no server-side state: the profile form carries its whole
state in every post, and review results carry their downloads in the page."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from policygen.web import generate_views, overview_views, review_views
from policygen.web.pages import (
    MAX_BODY_BYTES,
    MAX_FORM_BYTES,
    STATIC_DIR,
    error_page,
    page,
    templates,
    too_large_page,
)
from policygen.web.security import BodyLimit, BodyTooLarge, QuietErrors, SecurityHeaders
from policygen.web.work import WorkPool, preload

log = logging.getLogger("policygen.web")


async def start(request: Request) -> HTMLResponse:
    return page(request, "start.html.j2", title="Styrdokument om samverkan med sociala företag")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # registered for HTTPException only; Starlette's hint says Exception
    messages = {404: "Adressen finns inte på den här webbplatsen.",
                405: "Sidan tar inte emot den här sortens förfrågan."}
    return error_page(request, exc.status_code, messages.get(exc.status_code, exc.detail or "Förfrågan gick inte att utföra."),
                      "Gå till startsidan och börja om därifrån.")


async def _server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, BodyTooLarge):  # raised while the form was being read
        return too_large_page(request.app.state.templates)
    # The log gets the kind of error only, never document text or form values.
    log.error("oväntat fel: %s", type(exc).__name__)
    return error_page(request, 500, "Ett oväntat fel inträffade. Inget av det du skickade har sparats.",
                      "Försök igen. Händer det igen, kontakta den som driver tjänsten.")


def _too_large_responder(environment: Environment):
    async def too_large(scope, receive, send) -> None:
        await too_large_page(environment)(scope, receive, send)
    return too_large


def create_app(workers: int | None = None, load_at_start: bool = True, max_body_bytes: int = MAX_BODY_BYTES,
               archive: Path | None = None) -> Any:
    """The ASGI application. `workers` bounds the document work running at once;
    `archive` is where /oversikt keeps its runs (None: nothing is stored)."""
    workers = workers or max(1, min(4, os.cpu_count() or 1))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        if load_at_start:
            preload()
            app.state.pool.start()
        yield
        app.state.pool.close()

    routes = [
        Route("/", start),
        Route("/granska", review_views.form, methods=["GET"]),
        Route("/granska", review_views.review, methods=["POST"]),
        Route("/skapa", generate_views.choose, methods=["GET"]),
        Route("/skapa/profil", generate_views.profile_form, methods=["GET", "POST"]),
        Route("/skapa/ladda-upp", generate_views.upload_profile, methods=["POST"]),
        Route("/oversikt", overview_views.form, methods=["GET"]),
        Route("/oversikt", overview_views.show, methods=["POST"]),
        Route("/oversikt/senaste", overview_views.latest, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.templates = templates()
    app.state.pool = WorkPool(workers)
    app.state.archive = archive
    small = min(max_body_bytes, MAX_FORM_BYTES)
    limited = BodyLimit(app, max_body_bytes, _too_large_responder(app.state.templates),
                        {"/skapa/profil": small, "/skapa/ladda-upp": small})
    return QuietErrors(SecurityHeaders(limited))


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None, archive: Path | None = None) -> None:
    import uvicorn

    uvicorn.run(create_app(workers, archive=archive), host=host, port=port, log_level="warning", access_log=False,
                server_header=False, date_header=False)
