"""What every page of the web service shares: the Swedish page templates,
error pages, the size limits of a request and reading an upload within them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from policygen.errors import UserError
from policygen.infra.resources import templates_dir

MAX_UPLOAD_BYTES = 50 * 1024 * 1024            # the CLI's limit for a draft
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 256 * 1024  # plus the form around it
MAX_FORM_BYTES = 2 * 1024 * 1024                # a profile form or a saved profile file
STATIC_DIR = Path(__file__).resolve().parent / "static"

_STATUS_TITLES = {400: "Något i formuläret stämmer inte", 403: "Förfrågan kom inte från den här sidan",
                  408: "Det tog för lång tid",
                  404: "Sidan finns inte", 405: "Det går inte att göra så här", 413: "Filen är för stor",
                  422: "Filen gick inte att använda", 429: "Du har redan arbete igång",
                  500: "Något gick fel på servern", 503: "Servern är upptagen just nu"}


def templates() -> Environment:
    environment = Environment(loader=FileSystemLoader(str(templates_dir() / "web")),
                              autoescape=select_autoescape(default=True, default_for_string=True),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    # Every form the page holds carries the token its post is checked against.
    context.setdefault("form_token", request.app.state.tokens.issue(client_key(request)))
    return _render(request.app.state.templates, template, status, **context)


_WORKER_TEMPLATES: list[Environment] = []


def render_page(template: str, **context: Any) -> str:
    """A page without a form, rendered where there is no request (in a worker)."""
    if not _WORKER_TEMPLATES:
        _WORKER_TEMPLATES.append(templates())
    return _WORKER_TEMPLATES[0].get_template(template).render(**context)


def client_key(request: Request) -> str:
    """Who a request is from, for fair sharing and form tokens: the address it came from."""
    return request.client.host if request.client else ""


def _render(environment: Environment, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def error_page(request: Request, status: int, message: str, hint: str | None = None) -> HTMLResponse:
    return _error(request.app.state.templates, status, message, hint)


def _error(environment: Environment, status: int, message: str, hint: str | None) -> HTMLResponse:
    return _render(environment, "fel.html.j2", status, title=_STATUS_TITLES.get(status, "Något gick fel"),
                   message=message, hint=hint, code=status)


def user_error_page(request: Request, error: UserError, status: int = 422) -> HTMLResponse:
    place = error.place()
    message = f"{place}: {error.message}" if place else error.message
    return error_page(request, status, message, error.hint)


def refused_page(environment: Environment, reason: str) -> HTMLResponse:
    if reason == "host":
        return _error(environment, 400, "Servern svarar inte under det namnet.",
                      "Öppna sidan med den adress som den som driver tjänsten har gett dig. Den som driver "
                      "tjänsten kan lägga till namnet med 'policygen serve --tillat-vard NAMN'.")
    return _error(environment, 403, "Formuläret skickades inte från den här webbsidan, eller sidan har legat "
                  "öppen för länge. Inget har gjorts.",
                  "Öppna sidan på nytt, fyll i formuläret och skicka det därifrån.")


def busy_page(environment: Environment, retry_after: int, own_share: bool) -> HTMLResponse:
    if own_share:
        response = _error(environment, 429, "Du har redan dokument som bearbetas. Vänta tills de är klara innan du "
                          "skickar fler, så räcker servern till alla.",
                          f"Försök igen om {retry_after} sekunder.")
    else:
        response = _error(environment, 503, "Många arbetar med tjänsten just nu och servern hinner inte ta emot "
                          "fler dokument. Inget av det du skickade har sparats.",
                          f"Försök igen om {retry_after} sekunder.")
    response.headers["retry-after"] = str(retry_after)
    return response


def too_slow_page(environment: Environment) -> HTMLResponse:
    response = _error(environment, 408, "Det du skickade kom fram för långsamt, och servern slutade vänta. "
                      "Inget av det har sparats.",
                      "Kontrollera nätverksanslutningen och skicka igen.")
    response.headers["connection"] = "close"
    return response


def too_large_page(environment: Environment) -> HTMLResponse:
    response = _error(environment, 413, "Det du skickade är större än sidan tar emot (50 MB för ett utkast, "
                      "2 MB för en profil).",
                      "Dela upp dokumentet eller ta bort inbäddade bilder, och ladda upp det igen.")
    response.headers["connection"] = "close"
    return response
