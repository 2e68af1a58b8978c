"""The web page: Starlette routes over the library. Each route reads the
form, hands document work to the worker pool and renders a Swedish page.

No cookies and no server-side state: the profile form carries its whole
state in every post, and review results carry their downloads in the page."""

from __future__ import annotations

import contextlib
import gc
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

from policygen.web import api, generate_views, interview_views, overview_views, review_views
from policygen.web.dispatch import form_error_text
from policygen.web.health import health
from policygen.web.pages import (
    MAX_BODY_BYTES,
    MAX_FORM_BYTES,
    STATIC_DIR,
    busy_page,
    error_page,
    page,
    refused_page,
    templates,
    too_large_page,
    too_slow_page,
)
from policygen.web.pool import Budget, ClientGone, ServiceBusy, TooManyFromClient, WorkPool
from policygen.web.process_memory import limit_arenas
from policygen.web.security import (
    BodyLimit,
    BodyTooLarge,
    BodyTooSlow,
    FormTokens,
    QuietErrors,
    SecurityHeaders,
    SiteGuard,
)
from policygen.web.work import preload

log = logging.getLogger("policygen.web")

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


async def start(request: Request) -> HTMLResponse:
    return page(request, "start.html.j2", title="Styrdokument om samverkan med sociala företag")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # registered for HTTPException only; Starlette's hint says Exception
    if exc.status_code == 403:
        return refused_page(request.app.state.templates, "cross-site")
    if exc.status_code == 400:  # the form parser's, in English
        return error_page(request, 400, form_error_text(str(exc.detail)),
                          "Ladda om sidan och skicka formuläret på nytt därifrån.")
    messages = {404: "Adressen finns inte på den här webbplatsen.",
                405: "Sidan tar inte emot den här sortens förfrågan."}
    return error_page(request, exc.status_code, messages.get(exc.status_code, "Förfrågan gick inte att utföra."),
                      "Gå till startsidan och börja om därifrån.")


async def _busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceBusy)
    return busy_page(request.app.state.templates, exc.retry_after, isinstance(exc, TooManyFromClient))


async def _client_gone(request: Request, exc: Exception) -> Response:
    return Response(status_code=499)  # nobody reads it; the work was stopped


async def _server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, BodyTooLarge):  # raised while the form was being read
        return too_large_page(request.app.state.templates)
    if isinstance(exc, BodyTooSlow):
        return too_slow_page(request.app.state.templates)
    # The log gets the kind of error only, never document text or form values.
    log.error("oväntat fel: %s", type(exc).__name__)
    return error_page(request, 500, "Ett oväntat fel inträffade. Inget av det du skickade har sparats.",
                      "Försök igen. Händer det igen, kontakta den som driver tjänsten.")


def _too_large_responder(environment: Environment):
    async def too_large(scope, receive, send) -> None:
        await (api.too_large() if api.is_api(scope) else too_large_page(environment))(scope, receive, send)
    return too_large


def _too_slow_responder(environment: Environment):
    async def too_slow(scope, receive, send) -> None:
        await (api.too_slow() if api.is_api(scope) else too_slow_page(environment))(scope, receive, send)
    return too_slow


def _refused_responder(environment: Environment):
    async def refused(scope, receive, send) -> None:
        reason = scope.get("policygen.refused", "cross-site")
        await (api.refused(reason) if api.is_api(scope) else refused_page(environment, reason))(scope, receive, send)
    return refused


def default_budgets(workers: int | None = None) -> dict[str, Budget]:
    """Reviews and generated documents each get `workers` workers and one for
    heavy users; PDF conversion (LibreOffice, seconds each) one of its own, so
    it never fills the lane for DOCX."""
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    return {"review": Budget(workers, deadline=60, memory_mb=768, queue=4 * workers, per_client=2, heavy_workers=1),
            "generate": Budget(workers, deadline=30, memory_mb=512, queue=4 * workers, per_client=2,
                               heavy_workers=1),
            # LibreOffice is a child of the worker and inherits its limits: only a deadline here.
            "pdf": Budget(1, deadline=120, memory_mb=0, queue=4, per_client=1),
            # A national overview lints a whole zip of documents in one worker: rare and long.
            "oversikt": Budget(1, deadline=600, memory_mb=1024, queue=2, per_client=1)}


def create_app(workers: int | None = None, load_at_start: bool = True, max_body_bytes: int = MAX_BODY_BYTES,
               allowed_hosts: set[str] | None = None, budgets: dict[str, Budget] | None = None,
               body_idle_seconds: float = 20, api_key: str | None = None, archive: Path | None = None) -> Any:
    """The ASGI application. `workers` bounds the document work running at
    once; `allowed_hosts` the names it answers to (the loopback names by default);
    `api_key`, when given, is required by the API (web/api.py); `archive` is where
    /oversikt keeps its runs (None: nothing is stored)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        limit_arenas()
        if load_at_start:
            preload()
            # What is loaded now stays out of the garbage collector's sight, so the
            # forked workers do not copy its pages by merely collecting.
            gc.collect()
            gc.freeze()
            app.state.pool.start()
        try:
            yield
        finally:
            app.state.pool.close()

    pool = WorkPool(budgets or default_budgets(workers))
    routes = [
        Route("/", start),
        Route("/halsa", health, methods=["GET"]),
        Mount(api.PREFIX, api.create_api(pool, api_key is not None)),
        Route("/granska", review_views.form, methods=["GET"]),
        Route("/granska", review_views.review, methods=["POST"]),
        Route("/skapa", generate_views.choose, methods=["GET"]),
        Route("/skapa/profil", generate_views.profile_form, methods=["GET", "POST"]),
        Route("/skapa/ladda-upp", generate_views.upload_profile, methods=["POST"]),
        Route("/oversikt", overview_views.form, methods=["GET"]),
        Route("/oversikt", overview_views.show, methods=["POST"]),
        Route("/oversikt/senaste", overview_views.latest, methods=["GET"]),
        Route("/skapa/intervju", interview_views.start, methods=["GET"]),
        Route("/skapa/intervju", interview_views.answer, methods=["POST"]),
        Route("/skapa/intervju/forhandsvisning", interview_views.preview, methods=["POST"]),
        Route("/skapa/intervju/ladda-upp", interview_views.upload, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, ServiceBusy: _busy, ClientGone: _client_gone,
                                        Exception: _server_error})
    app.state.templates = templates()
    app.state.pool = pool
    app.state.tokens = FormTokens()
    app.state.archive = archive
    small = min(max_body_bytes, MAX_FORM_BYTES)
    limited = BodyLimit(app, max_body_bytes, _too_large_responder(app.state.templates),
                        {"/skapa/profil": small, "/skapa/ladda-upp": small, f"{api.PREFIX}/skapa": small,
                         "/skapa/intervju": small, "/skapa/intervju/forhandsvisning": small,
                         "/skapa/intervju/ladda-upp": small},
                        _too_slow_responder(app.state.templates), body_idle_seconds)
    guarded = SiteGuard(api.ApiKeyGuard(limited, api_key), allowed_hosts or LOOPBACK_HOSTS, _refused_responder(app.state.templates))
    return QuietErrors(SecurityHeaders(guarded))
