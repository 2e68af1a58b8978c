"""DOCX → tagged PDF (PDF/UA) for publishing on the web, through LibreOffice.

Every conversion runs `soffice --headless` in its own temporary profile, so two
runs at once (two users, or the batch's worker processes) never share
LibreOffice's lock file. A document with a table of contents is laid out twice:
the first PDF tells on which page each heading landed, those numbers are written
into the table of contents, and the second PDF is the one kept."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from policygen.errors import UserError
from policygen.render.docx import oxml_helpers as ooxml

# LibreOffice's PDF export options (filter data of writer_pdf_Export).
EXPORT_OPTIONS = {
    "UseTaggedPDF": True,                     # structure tree: H1, P, Table/TH, L/LI, Note …
    "PDFUACompliance": True,                  # PDF/UA-1 identification and checks
    "DisplayPDFDocumentTitle": True,          # the window shows the title, not the file name
    "ExportBookmarks": True,                  # outline from the headings
    "ExportBookmarksToPDFDestination": True,  # Word bookmarks → named destinations (TOC page numbers)
    "ExportNotes": False,
    "ExportFormFields": False,
}
TIMEOUT_SECONDS = 180
INSTALL_HINT = ("installera LibreOffice och typsnittet Carlito, till exempel med "
                "'sudo apt-get install libreoffice-writer fonts-crosextra-carlito' (Debian/Ubuntu) "
                "eller från https://www.libreoffice.org, eller välj --format docx")


@dataclass(frozen=True)
class Published:
    docx: bytes   # with the table of contents' page numbers filled in
    pdf: bytes


def soffice_command() -> str | None:
    """LibreOffice's command; POLICYGEN_SOFFICE names another one."""
    configured = os.environ.get("POLICYGEN_SOFFICE")
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    command = soffice_command()
    if command is None:
        raise UserError("PDF kräver LibreOffice, som inte är installerat på den här datorn", hint=INSTALL_HINT)
    return command


def publish(documents: Sequence[bytes], timeout: float = TIMEOUT_SECONDS) -> list[Published]:
    """Each DOCX as a tagged PDF, converted in one LibreOffice run (plus one
    more for the documents with a table of contents)."""
    command = require_soffice()
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="policygen-pdf-") as work:
        folder = Path(work)
        first = _convert(command, list(documents), folder / "pass1", timeout)
        results = [Published(source, pdf) for source, pdf in zip(documents, first)]
        with_toc = [i for i, source in enumerate(documents) if ooxml.toc_bookmarks(source)]
        if with_toc:
            updated = [ooxml.set_toc_page_numbers(documents[i], bookmark_pages(documents[i], first[i]))
                       for i in with_toc]
            second = _convert(command, updated, folder / "pass2", timeout)
            for i, source, pdf in zip(with_toc, updated, second):
                results[i] = Published(source, pdf)
        return results


def docx_to_pdf(document: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    return publish([document], timeout)[0].pdf


def bookmark_pages(document: bytes, pdf: bytes) -> dict[str, int]:
    """Page number (1-based) in `pdf` of each bookmark the table of contents points to."""
    import io

    reader = PdfReader(io.BytesIO(pdf))
    destinations = {str(name).lstrip("/"): value for name, value in reader.named_destinations.items()}
    pages = {}
    for bookmark in ooxml.toc_bookmarks(document):
        destination = destinations.get(bookmark) or destinations.get(_destination_name(bookmark))
        if destination is None:
            continue
        number = reader.get_destination_page_number(destination)
        if number is not None and number >= 0:
            pages[bookmark] = number + 1
    return pages


def _destination_name(bookmark: str) -> str:
    """LibreOffice writes a bookmark's characters other than letters and digits
    as hex in the PDF destination name ("_Toc0001" → "5FToc0001")."""
    return "".join(c if c.isascii() and c.isalnum() else f"{ord(c):02X}" for c in bookmark)


def _convert(command: str, documents: list[bytes], folder: Path, timeout: float) -> list[bytes]:
    source_dir, out_dir, profile = folder / "in", folder / "out", folder / "profile"
    source_dir.mkdir(parents=True)
    names = []
    for number, content in enumerate(documents):
        path = source_dir / f"dokument-{number:03d}.docx"
        path.write_bytes(content)
        names.append(path)
    filter_data = json.dumps({key: {"type": "boolean", "value": "true" if value else "false"}
                              for key, value in EXPORT_OPTIONS.items()})
    arguments = [command, "--headless", "--norestore", "--nolockcheck",
                 f"-env:UserInstallation={profile.as_uri()}",
                 "--convert-to", f"pdf:writer_pdf_Export:{filter_data}",
                 "--outdir", str(out_dir), *map(str, names)]
    # Its own process group, so a timeout stops LibreOffice's helper processes too.
    process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise UserError(f"LibreOffice blev inte klart med PDF:en inom {timeout:.0f} sekunder",
                        hint="försök igen; stäng andra LibreOffice-fönster om det fortsätter") from None
    pdfs = []
    for path in names:
        pdf = out_dir / f"{path.stem}.pdf"
        if not pdf.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            raise UserError("LibreOffice kunde inte skapa PDF:en" + (f" ({detail[-1]})" if detail else ""),
                            hint="kontrollera att LibreOffice fungerar: soffice --headless --version")
        pdfs.append(pdf.read_bytes())
    return pdfs
