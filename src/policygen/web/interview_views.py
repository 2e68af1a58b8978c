"""The interview's routes: one step per page, answers carried in the page,
a live preview beside the step and the documents at the end.

Every post goes through the same gate as the rest of the service (its lane in
the pool, the form token, the size limits); document work runs in a worker."""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from policygen.errors import LimitExceeded, UserError
from policygen.generate.recipes import recipe_for
from policygen.kommuner import all_kommuner
from policygen.render.pdf import soffice_command
from policygen.web import interview as iv
from policygen.web.dispatch import admitted, admitted_form, save_upload, work
from policygen.web.generate_views import _download, _file_name
from policygen.web.pages import page
from policygen.web.pool import request_folder
from policygen.web.work import (
    MAX_PROFILE_BYTES,
    document_file,
    final_documents,
    preview_fragment,
    profile_data_from_upload,
    profile_yaml,
)

_MAX_FIELDS = 1500
_LIMITS = {"max_files": 0, "max_fields": _MAX_FIELDS, "max_part_size": 256 * 1024}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _documents(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d.key, d.title) for d in recipe_for(iv.style_of(data)).documents]


def _preview_keys(step: iv.Step | None, data: dict[str, Any]) -> list[str]:
    keys = [key for key, _ in _documents(data)]
    if step is None:
        return keys
    by_type = {d.doc_type: d.key for d in recipe_for(iv.style_of(data)).documents}
    return [by_type.get(step.preview, keys[0])]


async def start(request: Request) -> Response:
    """The first step; ?kommun=…&stil=… (from the start page) fills it in."""
    data: dict[str, Any] = {"stil": "markaryd"}
    problems: list[tuple[str, str]] = []
    style = request.query_params.get("stil", "")
    if style in ("markaryd", "ljungby"):
        data["stil"] = style
    typed = request.query_params.get("kommun", "")
    if typed.strip():
        data, problem = iv.choose_organisation(data, typed[:200])
        if problem:
            problems.append((iv.field_id(("kommun", "namn")), problem))
    return await _step_page(request, data, 0, problems=problems, typed=typed[:200],
                            status=400 if problems else 200, with_preview=False)


async def answer(request: Request) -> Response:
    async with admitted_form(request, "generate", **_LIMITS) as posted:
        form = {name: str(value) for name, value in posted.multi_items() if isinstance(value, str)}
    data = iv.state_from_text(form.get("svar", ""))
    index = _index(form.get("steg", "0"))
    action = form.get("atgard", "nasta")
    all_steps = iv.steps()
    step = all_steps[index] if index < len(all_steps) else None

    if action.startswith("bort:"):  # the row is taken out before the answers are read
        name, _, row = action[5:].rpartition(":")
        form = {key: value for key, value in form.items() if key != f"{name}.{row}" and
                not key.startswith(f"{name}.{row}.")}
    typed = form.get("kommun.namn", "")
    problems: list[tuple[str, str]] = []
    if step is not None:
        data = iv.read_step(step, data, form)
        if step.id == "organisation":
            style = form.get("stil")
            if style in ("markaryd", "ljungby"):
                data["stil"] = style
            data, problem = iv.choose_organisation(data, typed)
            if problem:
                problems.append((iv.field_id(("kommun", "namn")), problem))

    if action == "yaml":
        kommun = iv.kommun_of(data)
        name = kommun.namn if kommun else "profil"
        return _download(profile_yaml(data, name).encode("utf-8"), _file_name(name, "profil.yaml"),
                         "application/yaml")
    if action.startswith(("docx:", "pdf:")):
        return await _document_download(request, data, action)
    if action.startswith("rad:") and step is not None:
        name = action[4:]
        return await _step_page(request, data, index, typed=typed, extra_row=name,
                                focus=f"{iv.field_id(tuple(name.split('.')))}-new")
    if action.startswith("bort:") and step is not None:
        return await _step_page(request, data, index, typed=typed, focus=iv.field_id(tuple(action[5:].split(":")[0]
                                                                                           .split("."))) + "-lagg")
    if action.startswith("exempel:") and step is not None:
        return await _use_example(request, data, index, action[8:], typed)
    if action == "tillbaka":
        return await _step_page(request, data, max(index - 1, 0), typed=typed)
    if action.startswith("ga:"):
        target = _index(action[3:])
        if problems and target > index:
            return await _step_page(request, data, index, problems=problems, typed=typed, status=400)
        return await _step_page(request, data, target, typed=typed)
    # "nasta" (also Enter in a field): every problem on the step at once, or the next step.
    if step is not None:
        problems += [p for p in iv.step_problems(step, data) if p[0] != iv.field_id(("kommun", "namn"))]
        if problems:
            return await _step_page(request, data, index, problems=problems, typed=typed, status=400)
        index += 1
    return await _step_page(request, data, index)


async def preview(request: Request) -> Response:
    """The preview beside the step, for the page's script (htmx): the answers
    on the page as they are now, without going to another step."""
    async with admitted_form(request, "generate", **_LIMITS) as posted:
        form = {name: str(value) for name, value in posted.multi_items() if isinstance(value, str)}
    data = iv.state_from_text(form.get("svar", ""))
    index = _index(form.get("steg", "0"))
    all_steps = iv.steps()
    step = all_steps[index] if index < len(all_steps) else None
    if step is not None:
        data = iv.read_step(step, data, form)
    html = await work(request, "generate", preview_fragment, data, _preview_keys(step, data))
    return HTMLResponse(html, headers={"cache-control": "no-store"})


async def upload(request: Request) -> Response:
    """Continue with a saved profile: it opens at the first step with something missing."""
    async with admitted_form(request, "generate", max_files=1, max_fields=5, max_part_size=64 * 1024) as posted:
        file = posted.get("profil")
        index = _index(str(posted.get("steg") or "0"))
        data = iv.state_from_text(str(posted.get("svar") or ""))
        if not isinstance(file, UploadFile) or not file.filename:
            return await _step_page(request, data, index, status=400, upload_error=(
                "Välj profilfilen (.yaml) som du laddade ned tidigare, och tryck sedan på ”Fortsätt med profilen”."))
        try:
            with request_folder() as folder:
                await save_upload(file, folder / "profil.yaml", MAX_PROFILE_BYTES)
                loaded = await work(request, "generate", profile_data_from_upload, folder / "profil.yaml",
                                    file.filename)
        except UserError as error:
            status = 413 if isinstance(error, LimitExceeded) else 422
            place = error.place()
            text = f"{place}: {error.message}" if place else error.message
            hint = f" Gör så här: {error.hint}." if error.hint else ""
            return await _step_page(request, data, index, status=status,
                                    upload_error=text[:1].upper() + text[1:] + "." + hint)
    loaded = _without_todos(iv.clean(loaded) or {})
    start_at = iv.first_open_step(loaded)
    notice = "Profilen är inläst. " + ("Du fortsätter där något saknas." if start_at < len(iv.steps())
                                        else "Allt är besvarat: här är dokumenten.")
    return await _step_page(request, loaded, start_at, notice=notice)


def _without_todos(node: Any) -> Any:
    """A starter profile's 'TODO: …' hints are not answers: they are left out,
    so the interview shows them as empty questions."""
    if isinstance(node, dict):
        return {k: v for k, v in ((k, _without_todos(v)) for k, v in node.items()) if v is not None}
    if isinstance(node, list):
        return [v for v in (_without_todos(item) for item in node) if v is not None] or None
    if isinstance(node, str) and (node.lstrip().startswith("TODO") or "ÅÅÅÅ" in node):
        return None
    return node


def _index(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        return 0
    return min(int(text), len(iv.steps()))


async def _use_example(request: Request, data: dict[str, Any], index: int, name: str, typed: str) -> Response:
    step = iv.steps()[index]
    words = iv.organisation_words(iv.kommun_of(data))
    for question, _ in iv.questions_of(step, data):
        if iv.field_name(question.path) == name and question.example:
            iv.put(data, question.path, iv.example_text(question, words))
            return await _step_page(request, data, index, typed=typed, focus=iv.field_id(question.path))
    return await _step_page(request, data, index, typed=typed)


async def _document_download(request: Request, data: dict[str, Any], action: str) -> Response:
    fmt, key = action.split(":", 1)
    if key not in [k for k, _ in _documents(data)]:
        return await _step_page(request, data, len(iv.steps()), status=400)
    try:
        # PDF conversion (LibreOffice, seconds) has its own lane: it never fills the one for DOCX.
        lane = "pdf" if fmt == "pdf" else "generate"
        with admitted(request, lane) if lane == "pdf" else contextlib.nullcontext():
            name, content = await work(request, lane, document_file, data, key, fmt)
    except UserError as error:
        return await _step_page(request, data, len(iv.steps()), status=422, notice=error.message)
    return _download(content, name, _DOCX if fmt == "docx" else "application/pdf")


async def _step_page(request: Request, data: dict[str, Any], index: int, *,
                     problems: list[tuple[str, str]] | None = None, typed: str = "", extra_row: str = "",
                     focus: str = "", status: int = 200, notice: str = "", upload_error: str = "",
                     with_preview: bool = True) -> HTMLResponse:
    all_steps = iv.steps()
    index = min(max(index, 0), len(all_steps))
    step = all_steps[index] if index < len(all_steps) else None
    problems = problems or []
    kommun = iv.kommun_of(data)
    context: dict[str, Any] = {
        "steps": all_steps, "index": index, "step": step, "state": iv.state_text(data),
        "problems": problems, "notice": notice, "upload_error": upload_error,
        "kommun": kommun, "kommuner": [k.namn for k in all_kommuner()],
        "documents": _documents(data), "pdf_available": soffice_command() is not None,
        "preview_html": "", "finished": [], "open_steps": [], "final_message": "",
    }
    if step is not None:
        shown = iv.shown_step(step, data, extra_row)
        by_id: dict[str, list[str]] = {}
        for fid, message in problems:
            by_id.setdefault(fid, []).append(message)
        for item in shown:
            item.errors = [m for fid, ms in by_id.items() if fid == item.id or fid.startswith(item.id + "-")
                           for m in ms]
            if item.question.path == ("kommun", "namn"):
                item.value = typed or (kommun.namn if kommun else str(iv.get(data, ("kommun", "namn")) or ""))
        if problems:
            focus = problems[0][0]
        context["shown"] = shown
        if with_preview and kommun is not None:
            context["preview_html"] = await work(request, "generate", preview_fragment, data,
                                                 _preview_keys(step, data))
    else:
        context["shown"] = []
        context["open_steps"] = [(n, s.title, len(iv.step_problems(s, data))) for n, s in enumerate(all_steps)
                                 if iv.step_problems(s, data)]
        if kommun is not None:
            views, _open, message = await work(request, "generate", final_documents, data,
                                               [key for key, _ in _documents(data)])
            context["finished"], context["final_message"] = views, message
    title = ("Fel – " if problems or upload_error else "") + (
        f"Steg {index + 1} av {len(all_steps) + 1}: {step.title}" if step else "Klart: dokumenten")
    return page(request, "intervju.html.j2", status, title=title, focus=focus, **context)
