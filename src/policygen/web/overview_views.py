"""The national overview on the web (/oversikt): upload a zip of documents or
an archive and get the same self-contained page as `policygen oversikt`, with
its open data as downloads. Nothing is stored, unless the server was started
with an archive (`policygen serve --arkiv FIL`): then each zip's run is kept
there and the latest stored overview can be opened."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse

from policygen.errors import UserError
from policygen.overview.page import content_security_policy
from policygen.overview.report import OverviewFiles, overview_files
from policygen.overview.uploads import overview_from_upload
from policygen.web.pages import MAX_UPLOAD_BYTES, page, read_upload, user_error_page

TITLE = "Översikt över kommunerna"


def _form(request: Request, status: int = 200, errors: list | None = None) -> HTMLResponse:
    return page(request, "oversikt.html.j2", status, title=TITLE if not errors else f"Fel – {TITLE}",
                errors=errors or [], archive=request.app.state.archive is not None)


async def form(request: Request) -> HTMLResponse:
    return _form(request)


def _overview_page(files: OverviewFiles) -> HTMLResponse:
    # The page carries its own style and script inline; the header allows
    # exactly those by their hashes, as the page's own meta element does.
    html = files.html
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    script = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    policy = content_security_policy(style, script) + "; frame-ancestors 'none'"
    return HTMLResponse(html, headers={"cache-control": "no-store", "content-security-policy": policy})


async def show(request: Request) -> HTMLResponse:
    async with request.form(max_files=1, max_fields=5, max_part_size=64 * 1024) as posted:
        upload = posted.get("underlag")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _form(request, 400, [("f-underlag", "Välj en zip-fil med dokument eller en arkivfil (.sqlite).")])
        try:
            content = await read_upload(upload, MAX_UPLOAD_BYTES)
            files = await request.app.state.pool.run("oversikt", overview_from_upload, content, upload.filename,
                                                     request.app.state.archive)
        except UserError as error:
            return user_error_page(request, error, 413 if "större än" in error.message else 422)
    return _overview_page(files)


async def latest(request: Request) -> HTMLResponse:
    archive = request.app.state.archive
    if archive is None:
        return user_error_page(request, UserError("servern sparar inga översikter",
                                                  hint="ladda upp en zip-fil eller en arkivfil på sidan Översikt"), 404)
    try:
        files = await request.app.state.pool.run("oversikt", overview_files, None, archive, False, None, None, True)
    except UserError as error:
        return user_error_page(request, error, 404)
    return _overview_page(files)
