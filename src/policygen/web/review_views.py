"""Review: upload a draft, see the twelve parts and the findings, download
the commented copy and the reports."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse

from policygen.errors import LimitExceeded, UserError
from policygen.kommuner import all_kommuner, find_kommun
from policygen.vocabulary import DOC_TYPE_NAMES, DOC_TYPES
from policygen.web.dispatch import admitted_form, save_upload, work
from policygen.web.pages import MAX_UPLOAD_BYTES, page, user_error_page
from policygen.web.pool import request_folder
from policygen.web.work import draft_suffix, review_page


async def form(request: Request) -> HTMLResponse:
    return page(request, "granska.html.j2", title="Granska ett utkast", **_choices(), errors=[],
                values={"doc_type": "", "kommun": ""})


def _choices() -> dict:
    return {"doc_types": [(key, DOC_TYPE_NAMES[key]) for key in DOC_TYPES],
            "kommuner": [k.namn for k in all_kommuner()]}


async def review(request: Request) -> HTMLResponse:
    async with admitted_form(request, "review", max_files=1, max_fields=10, max_part_size=64 * 1024) as posted:
        upload = posted.get("utkast")
        doc_type = str(posted.get("doc_type") or "").strip() or None
        kommun = str(posted.get("kommun") or "").strip() or None
        values = {"doc_type": doc_type or "", "kommun": kommun or ""}
        errors = []
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors.append(("f-utkast", "Välj en fil att granska (.docx, .pdf, .txt eller .md)."))
        if doc_type is not None and doc_type not in DOC_TYPES:
            errors.append(("f-doc_type", "Välj en dokumenttyp i listan, eller låt policygen avgöra."))
        found = find_kommun(kommun) if kommun is not None else None
        if kommun is not None and found is None:
            errors.append(("f-kommun", f"”{kommun}” finns inte bland Sveriges 290 kommuner. Välj en kommun i "
                                       "listan, eller lämna fältet tomt så avgör policygen."))
        if errors or not isinstance(upload, UploadFile) or not upload.filename:  # upload: repeated for the type checker
            return page(request, "granska.html.j2", 400, title="Fel – Granska ett utkast", **_choices(),
                        errors=errors, values=values)
        name = upload.filename
        try:
            with request_folder() as folder:
                draft = folder / f"utkast{draft_suffix(name)}"
                await save_upload(upload, draft, MAX_UPLOAD_BYTES)
                html = await work(request, "review", review_page, draft, name, doc_type,
                                  found.namn if found else None)
        except UserError as error:
            return user_error_page(request, error, 413 if isinstance(error, LimitExceeded) else 422)
    return HTMLResponse(html, headers={"cache-control": "no-store"})
