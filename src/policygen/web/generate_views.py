"""Generate: choose kommun and style, fill in the profile form, preview the
documents, download DOCX (PDF when LibreOffice is there) and the profile."""

from __future__ import annotations

import contextlib
import copy
import urllib.parse
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from policygen.errors import LimitExceeded, UserError
from policygen.generate.recipes import recipe_for
from policygen.infra.output import windows_safe_name
from policygen.infra.validation import schema_problems
from policygen.kommuner import all_kommuner, find_kommun
from policygen.profile.load import normalise, profile_schema
from policygen.render.pdf import soffice_command
from policygen.vocabulary import STYLES
from policygen.web import views
from policygen.web.dispatch import admitted, admitted_form, save_upload, work
from policygen.web.pages import page, user_error_page
from policygen.web.pool import request_folder
from policygen.web.profile_form import (
    FormField,
    add_row,
    attach_errors,
    build_form,
    data_from_form,
    field_id,
    path_of_dotted,
)
from policygen.web.work import (
    MAX_PROFILE_BYTES,
    document_file,
    make_documents,
    profile_data_from_upload,
    profile_yaml,
    starter_data,
)

_MAX_FIELDS = 3000
_STYLE_NAMES = {"markaryd": "Markaryd – policy och riktlinjer i ett dokument, och en handlingsplan",
                "ljungby": "Ljungby – kort policy och en separat verksamhetsplan"}


def _kommun_names() -> list[str]:
    return [k.namn for k in all_kommuner()]


def _choose_page(request: Request, status: int = 200, errors: list[tuple[str, str]] | None = None,
                 values: dict[str, str] | None = None) -> HTMLResponse:

    return page(request, "skapa.html.j2", status,
                title=("Fel – " if errors else "") + "Skapa styrdokument", kommuner=_kommun_names(),
                styles=[(key, _STYLE_NAMES[key]) for key in STYLES], errors=errors or [],
                values=values or {"kommun": "", "stil": "markaryd"})


async def choose(request: Request) -> HTMLResponse:
    return _choose_page(request)


async def profile_form(request: Request) -> Response:
    if request.method == "GET":
        return await _start_profile(request)
    async with admitted_form(request, "generate", max_files=0, max_fields=_MAX_FIELDS,
                             max_part_size=64 * 1024) as posted:
        fields = {name: str(value) for name, value in posted.multi_items() if isinstance(value, str)}
        chosen = [str(v) for v in posted.getlist("dokument_val")]
        return await _handle_profile_post(request, fields, chosen)


async def _start_profile(request: Request) -> Response:
    kommun = request.query_params.get("kommun", "").strip()
    style = request.query_params.get("stil", "markaryd").strip()
    errors = []
    found = find_kommun(kommun) if kommun else None
    if not kommun:
        errors.append(("f-kommun", "Skriv kommunens namn eller kommunkod, t.ex. Kiruna eller 2584."))
    elif found is None:
        errors.append(("f-kommun", f"”{kommun}” finns inte bland Sveriges 290 kommuner. Välj en kommun i listan."))
    if style not in STYLES:
        errors.append(("f-stil-markaryd", "Välj en av stilarna."))
    if errors or found is None:  # found: repeated for the type checker
        return _choose_page(request, 400, errors, {"kommun": kommun, "stil": style if style in STYLES else "markaryd"})
    data = starter_data(found.namn, style)
    return _form_page(request, data, _all_documents(style))


async def upload_profile(request: Request) -> Response:
    async with admitted_form(request, "generate", max_files=1, max_fields=5, max_part_size=64 * 1024) as posted:
        upload = posted.get("profil")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _choose_page(request, 400, [("f-profil", "Välj profilfilen (.yaml) som du sparade tidigare.")])
        try:
            with request_folder() as folder:
                await save_upload(upload, folder / "profil.yaml", MAX_PROFILE_BYTES)
                # Parsed in a worker: a hostile file (75 000 keys) must not stall the page for others.
                data = await work(request, "generate", profile_data_from_upload, folder / "profil.yaml",
                                  upload.filename)
        except UserError as error:
            return user_error_page(request, error, 413 if isinstance(error, LimitExceeded) else 422)
    style = data["stil"] if data.get("stil") in STYLES else "markaryd"
    return _form_page(request, data, _all_documents(style))


def _all_documents(style: str) -> list[str]:
    return [d.key for d in recipe_for(style).documents]


def _document_choices(style: str) -> list[tuple[str, str]]:
    return [(d.key, d.file_name) for d in recipe_for(style).documents]


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    normal = copy.deepcopy(data)
    normalise(normal, profile_schema(), (), [])
    return normal


async def _handle_profile_post(request: Request, fields: dict[str, str], chosen: list[str]) -> Response:
    schema = profile_schema()
    data = data_from_form(schema, fields)
    action = fields.get("atgard", "forhandsgranska")
    style = data["stil"] if data.get("stil") in STYLES else "markaryd"
    valid_keys = _all_documents(style)
    chosen = [key for key in chosen if key in valid_keys]
    kommun = _kommun_name(data) or "profil"

    if action == "yaml":
        name = _file_name(kommun, "profil.yaml")
        return _download(profile_yaml(data, kommun).encode("utf-8"), name, "application/yaml")
    if action.startswith("rad:"):
        return _form_page(request, data, chosen, add_to=action[4:])

    problems = [(p.path, _web_message(p)) for p in schema_problems(_normalised(data), schema)]
    if problems:
        return _form_page(request, data, chosen, problems=problems, status=400)
    if not chosen and not action.startswith(("docx:", "pdf:")):
        return _form_page(request, data, chosen, status=400,
                          problems=[(("dokument_val",), "Välj minst ett dokument att skapa.")])
    if action.startswith(("docx:", "pdf:")):
        fmt, key = action.split(":", 1)
        if key not in valid_keys:
            return _form_page(request, data, chosen, status=400,
                              problems=[(("dokument_val",), "Välj ett av dokumenten i listan innan du laddar ned.")])
        try:
            # PDF conversion (LibreOffice, seconds) has its own lane: it never fills the one for DOCX.
            lane = "pdf" if fmt == "pdf" else "generate"
            with admitted(request, lane) if lane == "pdf" else contextlib.nullcontext():
                name, content = await work(request, lane, document_file, data, key, fmt)
        except UserError as error:
            return _form_page(request, data, chosen, status=422, problems=[((), _error_text(error))])
        media = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "pdf": "application/pdf"}[fmt]
        return _download(content, name, media)
    try:
        profile, built = await work(request, "generate", make_documents, data, chosen)
    except UserError as error:
        return _form_page(request, data, chosen, status=400, problems=[((), _error_text(error))])
    open_items = [(path_of_dotted(item.field), item.message) for item in profile.open_items]
    previews = [(key, views.document_view(document, f"d{index}"))
                for index, ((_, document), key) in enumerate(zip(built, chosen), start=1)]
    return _form_page(request, data, chosen, open_items=open_items, previews=previews)


def _web_message(problem: Any) -> str:
    """The CLI's message; a missing field's remedy is said for a form, not a file."""
    if problem.message.endswith("saknas"):
        return f"{problem.message}. Gör så här: fyll i fältet."
    return f"{problem.message}. Gör så här: {problem.hint}."


def _error_text(error: UserError) -> str:
    return f"{error.message}. Gör så här: {error.hint}." if error.hint else error.message


def _kommun_name(data: dict[str, Any]) -> str:
    kommun = data.get("kommun")
    return str(kommun.get("namn") or "") if isinstance(kommun, dict) else ""


def _file_name(kommun: str, suffix: str) -> str:
    # The name is shortened before the suffix is added: a long kommun name must
    # not cut off '.yaml'.
    stem = windows_safe_name(kommun.lower().replace(" ", "-"))[:60].rstrip(". -") or "profil"
    return windows_safe_name(f"{stem}-{suffix}")


def _download(content: bytes, name: str, media_type: str) -> Response:
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{urllib.parse.quote(name)}'
    return Response(content, media_type=media_type,
                    headers={"content-disposition": disposition, "cache-control": "no-store"})


def _form_page(request: Request, data: dict[str, Any], chosen: list[str], *, add_to: str | None = None,
               problems: list[tuple[tuple[Any, ...], str]] | None = None,
               open_items: list[tuple[tuple[Any, ...], str]] | None = None,
               previews: list[tuple[str, Any]] | None = None, status: int = 200) -> HTMLResponse:

    schema = profile_schema()
    sections = build_form(schema, data)
    focus = None
    if add_to:
        row = add_row(sections, add_to)
        if row is not None:
            focus = (row.children[0] if row.children else row).id
    choice_field = FormField(("dokument_val",), "group", "Dokument att skapa")
    errors = attach_errors(sections + [choice_field], problems or [])
    remaining = attach_errors(sections, open_items or [], "open_items")
    style = data["stil"] if data.get("stil") in STYLES else "markaryd"
    kommun = _kommun_name(data)
    title = ("Fel – " if errors else "") + (f"Förhandsvisning – {kommun}" if previews else f"Profil för {kommun or 'kommunen'}")
    return page(request, "profil.html.j2", status, title=title, sections=sections, errors=errors,
                remaining=remaining, choice_field=choice_field, documents=_document_choices(style),
                chosen=set(chosen), kommuner=_kommun_names(), focus=focus, previews=previews or [],
                pdf_available=soffice_command() is not None, kommun=kommun, field_id=field_id)
