"""Which files `--format` asks for, and rendering a set of documents into them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from policygen.errors import UserError
from policygen.model import Document
from policygen.render.docx.writer import render_docx
from policygen.render.markdown import render_markdown

FORMATS = ("docx", "md", "pdf", "docx,pdf")


def extensions(fmt: str) -> list[str]:
    """File extensions for a --format value: 'docx,pdf' → ['docx', 'pdf']."""
    if fmt not in FORMATS:
        raise UserError(f"okänt format: '{fmt}'", hint="välj docx, md, pdf eller docx,pdf")
    return fmt.split(",")


def render_formats(documents: Sequence[Document], fmt: str,
                   reference_docx: Path | None = None) -> list[dict[str, bytes | str]]:
    """For each document, its content per extension. PDFs are made from the
    DOCX in one LibreOffice run; LibreOffice is checked for before any work."""

    wanted = extensions(fmt)
    if "pdf" in wanted:
        # Start-up time: the PDF step (python-docx, LibreOffice) is loaded only when a PDF is asked for.
        from policygen.render.pdf import publish, require_soffice

        require_soffice()
    if wanted == ["md"]:
        return [{"md": render_markdown(document)} for document in documents]
    word_files = [render_docx(document, reference_docx) for document in documents]
    if "pdf" not in wanted:
        return [{"docx": content} for content in word_files]
    results = []
    for published in publish(word_files):
        files: dict[str, bytes | str] = {"docx": published.docx} if "docx" in wanted else {}
        files["pdf"] = published.pdf
        results.append(files)
    return results
