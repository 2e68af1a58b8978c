"""What every page of the web service shares: the Swedish page templates,
error pages, the size limits of a request and reading an upload within them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse

from policygen.errors import UserError
from policygen.infra.resources import templates_dir

MAX_UPLOAD_BYTES = 50 * 1024 * 1024            # the CLI's limit for a draft
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 256 * 1024  # plus the form around it
MAX_FORM_BYTES = 2 * 1024 * 1024                # a profile form or a saved profile file
STATIC_DIR = Path(__file__).resolve().parent / "static"

_STATUS_TITLES = {400: "Något i formuläret stämmer inte", 404: "Sidan finns inte",
                  405: "Det går inte att göra så här", 413: "Filen är för stor",
                  422: "Filen gick inte att använda", 500: "Något gick fel på servern"}


def templates() -> Environment:
    environment = Environment(loader=FileSystemLoader(str(templates_dir() / "web")),
                              autoescape=select_autoescape(default=True, default_for_string=True),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return _render(request.app.state.templates, template, status, **context)


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


def too_large_page(environment: Environment) -> HTMLResponse:
    response = _error(environment, 413, "Det du skickade är större än sidan tar emot (50 MB för ett utkast, "
                      "2 MB för en profil).",
                      "Dela upp dokumentet eller ta bort inbäddade bilder, och ladda upp det igen.")
    response.headers["connection"] = "close"
    return response


_READ_CHUNK = 256 * 1024


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The uploaded file's bytes, stopped at `limit` while reading."""
    chunks, size = [], 0
    while chunk := await upload.read(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise UserError(f"filen är större än {limit // (1024 * 1024)} MB", file=upload.filename or None,
                            hint="dela upp dokumentet eller ta bort inbäddade bilder")
        chunks.append(chunk)
    return b"".join(chunks)
