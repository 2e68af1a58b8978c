"""Review: upload a draft, see the twelve parts and the findings, download
the commented copy and the reports."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse

from policygen.errors import UserError
from policygen.kommuner import all_kommuner, find_kommun
from policygen.vocabulary import DOC_TYPE_NAMES, DOC_TYPES
from policygen.web import views
from policygen.web.pages import MAX_UPLOAD_BYTES, page, read_upload, user_error_page
from policygen.web.work import review_upload


async def form(request: Request) -> HTMLResponse:
    return page(request, "granska.html.j2", title="Granska ett utkast", **_choices(), errors=[],
                values={"doc_type": "", "kommun": ""})


def _choices() -> dict:
    return {"doc_types": [(key, DOC_TYPE_NAMES[key]) for key in DOC_TYPES],
            "kommuner": [k.namn for k in all_kommuner()]}


async def review(request: Request) -> HTMLResponse:
    async with request.form(max_files=1, max_fields=10, max_part_size=64 * 1024) as posted:
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
        try:
            content = await read_upload(upload, MAX_UPLOAD_BYTES)
            name = upload.filename
            result = await request.app.state.pool.run("review", review_upload, content, name, doc_type,
                                                      found.namn if found else None)
        except UserError as error:
            return user_error_page(request, error, 413 if "större än" in error.message else 422)
    return page(request, "granskning.html.j2", title=f"Granskning – {result.result.title or name}",
                review=views.review_view(result))
