"""How a route hands work to the pool: admitted to its lane before the body is
read (a full lane answers at once, without taking a 50 MB upload first), the
form's token checked, and the work stopped when the client goes away."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from policygen.errors import LimitExceeded
from policygen.web.pages import client_key

T = TypeVar("T")


@contextlib.asynccontextmanager
async def admitted_form(request: Request, kind: str, **limits: Any) -> AsyncIterator[FormData]:
    """The posted form, once the request has a place in lane `kind` (ServiceBusy
    otherwise) and its token is this server's (403 otherwise)."""
    pool = request.app.state.pool
    client = client_key(request)
    pool.admit(kind, client)
    try:
        async with request.form(**limits) as posted:
            token = posted.get(request.app.state.tokens.FIELD)
            if not isinstance(token, str) or not request.app.state.tokens.valid(token, client):
                raise HTTPException(403, "token")
            yield posted
    finally:
        pool.leave(kind, client)


@contextlib.contextmanager
def admitted(request: Request, kind: str):
    """A place in lane `kind` for the rest of the request (ServiceBusy when there is none)."""
    pool, client = request.app.state.pool, client_key(request)
    pool.admit(kind, client)
    try:
        yield
    finally:
        pool.leave(kind, client)


async def work(request: Request, kind: str, function: Callable[..., T], *args: Any) -> T:
    return await request.app.state.pool.run(kind, function, *args, client=client_key(request),
                                            disconnected=request.is_disconnected)


_CHUNK = 256 * 1024


async def save_upload(upload: UploadFile, target: Path, limit: int) -> None:
    """The uploaded file written into the request's folder in pieces, stopped at `limit`."""
    size = 0
    with open(target, "wb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise LimitExceeded(f"filen är större än {limit // (1024 * 1024)} MB", file=upload.filename or None,
                                    hint="dela upp dokumentet eller ta bort inbäddade bilder")
            out.write(chunk)


# The form parser's own messages (Starlette's, in English), said in Swedish.
_FORM_ERRORS = [
    (re.compile(r"Missing boundary"), "Formuläret kom fram trasigt (gränsmarkeringen mellan fälten saknas)."),
    (re.compile(r"Too many files"), "Formuläret har fler filer än sidan tar emot; skicka en fil i taget."),
    (re.compile(r"Too many fields"), "Formuläret har fler fält än sidan tar emot."),
    (re.compile(r"(Part|Field) exceeded maximum size of (\d+)KB"),
     "Ett fält i formuläret är större än sidan tar emot ({2} kB)."),
    (re.compile(r"Content-Disposition"), "Ett fält i formuläret saknar namn."),
    (re.compile(r"Invalid multipart"), "Formuläret kom fram trasigt och gick inte att läsa."),
]


def form_error_text(detail: str) -> str:
    for pattern, text in _FORM_ERRORS:
        match = pattern.search(detail or "")
        if match:
            return text.format(*([match.group(0)] + list(match.groups())))
    return "Formuläret gick inte att läsa."
