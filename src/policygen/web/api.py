"""The API for other systems (a case system, an AI assistant platform) under
/api/v1: review a draft, generate documents from a profile, the rule
catalogue, and the OpenAPI description of it all (web/openapi.py).

The same library functions, worker lanes, limits and no-storage promise as
the page; answers are JSON (errors too: a Swedish message and what to do).
The API is not a browser form: there is no form token, and a client that
sends no Origin or Sec-Fetch-Site (a server) is let through by SiteGuard,
which still refuses a browser's cross-site post. When the service has an API
key, every call but the description needs it (ApiKeyGuard)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.parse
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from policygen.errors import LimitExceeded, UserError
from policygen.kommuner import find_kommun
from policygen.render.pdf import soffice_command
from policygen.vocabulary import DOC_TYPES
from policygen.web.api_work import Generated, make_files, profile_data, review_json, rules_json, zip_of
from policygen.web.dispatch import admitted, form_error_text, save_upload, work
from policygen.web.pages import MAX_UPLOAD_BYTES
from policygen.web.pool import ClientGone, ServiceBusy, TooManyFromClient, WorkPool, request_folder
from policygen.web.security import BodyTooLarge, BodyTooSlow
from policygen.web.work import draft_suffix

PREFIX = "/api/v1"
OPEN_PATHS = {f"{PREFIX}/openapi.json"}   # importable without the key: it describes, it does nothing
KEY_ENVIRONMENT = "POLICYGEN_API_KEY"
MIN_KEY_LENGTH = 16

log = logging.getLogger("policygen.web.api")

# What a posted draft may be when it comes as the whole body, by its Content-Type.
DRAFT_TYPES = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
               "application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md"}
PROFILE_TYPES = {"application/json": "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
                 "text/yaml": "yaml", "text/x-yaml": "yaml"}
FILE_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "pdf": "application/pdf", "zip": "application/zip"}
ZIP_CONTENTS = {"docx": ["docx"], "pdf": ["pdf"], "docx,pdf": ["docx", "pdf"]}


def is_api(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api/")


# -- answers -------------------------------------------------------------------------


def error_response(status: int, message: str, hint: str | None = None, place: str | None = None,
                   problems: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """Every API error: {"status", "fel", "atgard", "plats"?, "problem"?}, in Swedish."""
    body: dict[str, Any] = {"status": status, "fel": message, "atgard": hint or "Försök igen."}
    if place:
        body["plats"] = place
    if problems is not None:
        body["problem"] = problems
    return JSONResponse(body, status_code=status, headers={"cache-control": "no-store", **(headers or {})})


def user_error_response(error: UserError) -> JSONResponse:
    status = 413 if isinstance(error, LimitExceeded) else 422
    message = error.message[:1].upper() + error.message[1:]
    hint = error.hint[:1].upper() + error.hint[1:] + "." if error.hint else None
    return error_response(status, f"{message}.", hint, error.place() or None)


def too_large() -> JSONResponse:
    return error_response(413, "Det du skickade är större än API:t tar emot (50 MB för ett utkast, 2 MB för en "
                          "profil).", "Dela upp dokumentet eller ta bort inbäddade bilder och skicka igen.",
                          headers={"connection": "close"})


def too_slow() -> JSONResponse:
    return error_response(408, "Det du skickade kom fram för långsamt och servern slutade vänta. Inget har sparats.",
                          "Kontrollera nätverksanslutningen och skicka igen.", headers={"connection": "close"})


def refused(reason: str) -> JSONResponse:
    if reason == "host":
        return error_response(400, "Servern svarar inte under det namnet.",
                              "Använd den adress som den som driver tjänsten har gett er, eller be hen lägga till "
                              "namnet med 'policygen serve --tillat-vard NAMN'.")
    return error_response(403, "Anropet kom från en webbsida på en annan webbplats och togs inte emot. Inget har "
                          "gjorts.", "Anropa API:t från ett annat system (server till server), inte från en "
                          "webbsida på en annan webbplats.")


def busy(error: ServiceBusy) -> JSONResponse:
    headers = {"retry-after": str(error.retry_after)}
    if isinstance(error, TooManyFromClient):
        return error_response(429, "Ni har redan anrop som bearbetas. Vänta tills de är klara innan ni skickar fler.",
                              f"Försök igen om {error.retry_after} sekunder.", headers=headers)
    return error_response(503, "Servern hinner inte ta emot fler dokument just nu. Inget av det ni skickade har "
                          "sparats.", f"Försök igen om {error.retry_after} sekunder.", headers=headers)


def unauthorized(wrong: bool) -> JSONResponse:
    message = "API-nyckeln stämmer inte." if wrong else "Anropet saknar API-nyckel."
    return error_response(401, message + " Den här tjänsten kräver en nyckel för API:t.",
                          "Skicka nyckeln i rubriken 'Authorization: Bearer NYCKEL' (eller 'X-API-Key: NYCKEL'). "
                          "Nyckeln får ni av den som driver tjänsten.",
                          headers={"www-authenticate": 'Bearer realm="policygen"'})


# -- the key -------------------------------------------------------------------------


def read_key_file(path: Path) -> str:
    """The key in a file (its first line, without surrounding space)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError("filen med API-nyckeln finns inte", file=path,
                        hint="ange sökvägen till en fil som innehåller nyckeln på första raden") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"filen med API-nyckeln gick inte att läsa ({type(error).__name__})", file=path,
                        hint="kontrollera att tjänstens användare får läsa filen och att den är text") from None
    key = text.strip().splitlines()[0].strip() if text.strip() else ""
    return check_key(key, path)


def check_key(key: str, source: Path | str) -> str:
    if not key:
        raise UserError("API-nyckeln är tom", file=source, hint="skriv nyckeln på första raden, t.ex. ett värde "
                        "från 'python3 -c \"import secrets; print(secrets.token_urlsafe(32))\"'")
    if len(key) < MIN_KEY_LENGTH or not key.isascii() or any(c.isspace() for c in key):
        raise UserError(f"API-nyckeln ska vara minst {MIN_KEY_LENGTH} tecken, utan mellanslag och bara a–z, A–Z, "
                        "siffror och skiljetecken", file=source,
                        hint="skapa en med 'python3 -c \"import secrets; print(secrets.token_urlsafe(32))\"'")
    return key


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest()


class ApiKeyGuard:
    """With a key: every /api/ call but the description needs it, checked
    before the body is read. The comparison takes the same time whatever the
    sent key is (fixed-length digests, compared in constant time)."""

    def __init__(self, app: ASGIApp, key: str | None) -> None:
        self.app = app
        self._digest = _digest(key) if key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._digest is None or scope["type"] != "http" or not is_api(scope) or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        sent = self._sent_key(scope)
        if sent is None or not hmac.compare_digest(_digest(sent), self._digest):
            await unauthorized(sent is not None)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _sent_key(scope: Scope) -> str | None:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer" and token.strip():
                    return token.strip()
            elif name == b"x-api-key" and value.strip():
                return value.decode("latin-1").strip()
        return None


# -- routes --------------------------------------------------------------------------


def _query_choice(request: Request, name: str, choices: dict[str, Any] | tuple[str, ...], default: str | None,
                  hint: str) -> str | None:
    value = request.query_params.get(name, "").strip() or default
    if value is not None and value not in choices:
        raise _BadRequest(f"'{value[:60]}' är inget giltigt värde för {name}.", hint)
    return value


class _BadRequest(Exception):
    def __init__(self, message: str, hint: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.hint, self.status = message, hint, status


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def _save_body(request: Request, target: Path, limit: int) -> None:
    size = 0
    with open(target, "wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise LimitExceeded(f"det som skickades är större än {limit // (1024 * 1024)} MB",
                                    hint="dela upp dokumentet eller ta bort inbäddade bilder")
            out.write(chunk)


def _kommun(value: str | None) -> str | None:
    if not value:
        return None
    found = find_kommun(value)
    if found is None:
        raise _BadRequest(f"”{value[:80]}” finns inte bland Sveriges 290 kommuner.",
                          "Ange kommunens namn eller kommunkod (t.ex. Kiruna eller 2584), eller utelämna kommun så "
                          "avgör policygen.")
    return found.namn


async def review(request: Request) -> Response:
    began = time.monotonic()
    doc_type = _query_choice(request, "doc_type", DOC_TYPES, None,
                             "Ange doc_type=policy, riktlinje eller handlingsplan, eller utelämna den.")
    kommun = _kommun(request.query_params.get("kommun", "").strip() or None)   # refused before the body is read
    with admitted(request, "review"), request_folder() as folder:
        media = _media_type(request)
        if media == "multipart/form-data":
            async with request.form(max_files=1, max_fields=10, max_part_size=64 * 1024) as posted:
                upload = posted.get("utkast")
                if not isinstance(upload, UploadFile) or not upload.filename:
                    raise _BadRequest("Fältet 'utkast' med filen saknas.",
                                      "Skicka utkastet som filfältet 'utkast' (multipart/form-data), eller som "
                                      "hela kroppen med rätt Content-Type.")
                doc_type = doc_type or _form_choice(posted.get("doc_type"))
                kommun = kommun or _kommun(_form_choice(posted.get("kommun")))
                name = upload.filename
                draft = folder / f"utkast{draft_suffix(name)}"
                await save_upload(upload, draft, MAX_UPLOAD_BYTES)
        elif media in DRAFT_TYPES:
            name = request.query_params.get("filnamn", "").strip()[:200] or f"utkast{DRAFT_TYPES[media]}"
            draft = folder / f"utkast{draft_suffix(name)}"
            await _save_body(request, draft, MAX_UPLOAD_BYTES)
        else:
            raise _BadRequest(f"Innehållstypen '{media[:80] or '(ingen)'}' tas inte emot här.",
                              "Skicka utkastet som multipart/form-data med filfältet 'utkast', eller som hela "
                              "kroppen med Content-Type " + ", ".join(DRAFT_TYPES) + ".", 415)
        if doc_type is not None and doc_type not in DOC_TYPES:
            raise _BadRequest(f"'{doc_type[:60]}' är inget giltigt värde för doc_type.",
                              "Ange doc_type=policy, riktlinje eller handlingsplan, eller utelämna den.")
        report = await work(request, "review", review_json, draft, name, doc_type, kommun)
    _log(request, 200, began)
    return Response(report, media_type="application/json", headers={"cache-control": "no-store"})


def _form_choice(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


async def generate(request: Request) -> Response:
    began = time.monotonic()
    fmt = _query_choice(request, "format", ("zip", "docx", "pdf"), "zip",
                        "Ange format=zip (alla dokument i en zip-fil), docx eller pdf.")
    contents = _query_choice(request, "innehall", ZIP_CONTENTS, "docx",
                             "Ange innehall=docx, pdf eller docx,pdf (vad zip-filen ska innehålla).")
    assert fmt is not None and contents is not None
    doc_keys = list(dict.fromkeys(v.strip() for v in request.query_params.getlist("dokument") if v.strip()))
    if fmt != "zip" and len(doc_keys) != 1:
        raise _BadRequest(f"Med format={fmt} skapas ett dokument i taget; ange vilket med dokument=.",
                          "Ange t.ex. dokument=policy, eller format=zip för alla dokument i en fil.")
    formats = ZIP_CONTENTS[contents] if fmt == "zip" else [fmt]
    if "pdf" in formats and soffice_command() is None:
        raise _BadRequest("PDF kan inte skapas på den här servern: LibreOffice är inte installerat.",
                          "Begär format=docx (eller innehall=docx), eller be den som driver tjänsten installera "
                          "LibreOffice.", 501)
    # PDF conversion (LibreOffice, seconds) has its own lane, as on the page.
    lane = "pdf" if "pdf" in formats else "generate"
    with admitted(request, lane), request_folder() as folder:
        body = folder / "profil"
        media = _media_type(request)
        if media == "multipart/form-data":
            async with request.form(max_files=1, max_fields=5, max_part_size=64 * 1024) as posted:
                upload = posted.get("profil")
                if not isinstance(upload, UploadFile) or not upload.filename:
                    raise _BadRequest("Fältet 'profil' med profilfilen saknas.",
                                      "Skicka profilen som filfältet 'profil' (multipart/form-data), eller som hela "
                                      "kroppen med Content-Type application/json eller application/yaml.")
                kind = "json" if upload.filename.lower().endswith(".json") else "yaml"
                await save_upload(upload, body, 2 * 1024 * 1024)
        elif media in PROFILE_TYPES:
            kind = PROFILE_TYPES[media]
            await _save_body(request, body, 2 * 1024 * 1024)
        else:
            raise _BadRequest(f"Innehållstypen '{media[:80] or '(ingen)'}' tas inte emot här.",
                              "Skicka profilen med Content-Type application/json eller application/yaml, eller som "
                              "filfältet 'profil' i multipart/form-data.", 415)
        data = profile_data(body, kind)
        made: Generated = await work(request, lane, make_files, data, doc_keys, formats)
    if made.problems:
        _log(request, 422, began)
        return error_response(422, f"Profilen har {len(made.problems)} fel och inga dokument skapades.",
                              "Rätta fälten som listas under 'problem' och skicka profilen igen.",
                              problems=[{"falt": p.field, "fel": p.message, "atgard": p.hint} for p in made.problems])
    if fmt == "zip":
        name, content, media_type = _zip_name(made), zip_of(made.files), FILE_TYPES["zip"]
    else:
        (name, content), media_type = made.files[0], FILE_TYPES[fmt]
    _log(request, 200, began)
    return Response(content, media_type=media_type, headers={
        "content-disposition": _disposition(name), "cache-control": "no-store",
        "policygen-utkast": "ja" if made.open_items else "nej",
        "policygen-oppna-punkter": str(len(made.open_items))})


def _zip_name(made: Generated) -> str:
    stem = made.files[0][0].rsplit("-", 1)[0] if made.files else "dokument"
    return f"{stem}-styrdokument.zip"


def _disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    return f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{urllib.parse.quote(name)}'


_RULES: list[bytes] = []


async def rules(request: Request) -> Response:
    if not _RULES:
        _RULES.append(json.dumps({"rules": rules_json()}, ensure_ascii=False).encode("utf-8"))
    return Response(_RULES[0], media_type="application/json")


async def description(request: Request) -> JSONResponse:
    # Start-up time: the description is built on the first request for it.
    from policygen.web.openapi import openapi_document

    server = str(request.base_url).rstrip("/") + PREFIX
    return JSONResponse(openapi_document(server, request.app.state.key_required))


def _log(request: Request, status: int, began: float) -> None:
    # Method, path, status and time only: never the query (a kommun), a file name or any content.
    log.info("api %s %s %d %.2f s", request.method, request.url.path, status, time.monotonic() - began)


# -- errors as JSON ------------------------------------------------------------------


async def _on_bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, _BadRequest)
    return error_response(exc.status, exc.message, exc.hint)


async def _on_user_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UserError)
    return user_error_response(exc)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:  # the form parser's, in English
        return error_response(400, form_error_text(str(exc.detail)), "Skicka anropet på nytt som "
                              "multipart/form-data med ett filfält.")
    if exc.status_code == 404:
        return error_response(404, "Adressen finns inte i API:t.",
                              f"Se beskrivningen på {PREFIX}/openapi.json för de adresser som finns.")
    if exc.status_code == 405:
        return error_response(405, "Adressen tar inte emot den här sortens anrop.",
                              f"Se beskrivningen på {PREFIX}/openapi.json för vilken metod som gäller.",
                              headers=dict(exc.headers or {}))
    return error_response(exc.status_code, "Anropet gick inte att utföra.", "Kontrollera anropet och försök igen.")


async def _on_busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceBusy)
    return busy(exc)


async def _on_client_gone(request: Request, exc: Exception) -> Response:
    return Response(status_code=499)  # nobody reads it; the work was stopped


async def _on_body_too_large(request: Request, exc: Exception) -> Response:
    return too_large()


async def _on_body_too_slow(request: Request, exc: Exception) -> Response:
    return too_slow()


async def _on_server_error(request: Request, exc: Exception) -> Response:
    # Logged by the outer application by its kind only (never document text).
    return error_response(500, "Ett oväntat fel inträffade. Inget av det ni skickade har sparats.",
                          "Försök igen. Händer det igen, kontakta den som driver tjänsten.")


def create_api(pool: WorkPool, key_required: bool) -> Starlette:
    """The API's routes, sharing the page's worker pool."""
    routes = [
        Route("/granska", review, methods=["POST"]),
        Route("/skapa", generate, methods=["POST"]),
        Route("/regler", rules, methods=["GET"]),
        Route("/openapi.json", description, methods=["GET"]),
    ]
    api = Starlette(routes=routes, exception_handlers={
        _BadRequest: _on_bad_request, UserError: _on_user_error, HTTPException: _on_http_error,
        ServiceBusy: _on_busy, ClientGone: _on_client_gone, BodyTooLarge: _on_body_too_large,
        BodyTooSlow: _on_body_too_slow, Exception: _on_server_error})
    api.state.pool = pool
    api.state.key_required = key_required
    return api
