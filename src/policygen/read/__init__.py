"""Readers: a draft file (DOCX, PDF, TXT, Markdown) → the shared Document model."""

from __future__ import annotations

from pathlib import Path

from policygen.errors import UserError
from policygen.inputs import check_regular_file
from policygen.model import Document

MAX_FILE_BYTES = 50 * 1024 * 1024
SUPPORTED = (".docx", ".pdf", ".txt", ".md", ".markdown")


def read_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        # A regular file, measured before anything reads it: /dev/zero or a FIFO
        # behind a .txt name is refused at once.
        size = check_regular_file(path, "utkastet", MAX_FILE_BYTES)
    except UserError:
        if path.is_dir():
            raise UserError("det här är en mapp", file=path,
                            hint="ange en fil, eller granska hela mappen med 'policygen lint MAPP'") from None
        raise
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UserError(f"filtypen '{path.suffix or '(ingen)'}' stöds inte", file=path,
                        hint="spara utkastet som .docx, .pdf, .txt eller .md")
    if size == 0:
        raise UserError("filen är tom", file=path, hint="kontrollera att du valt rätt fil")
    if suffix == ".docx":
        from policygen.read.docx_reader import read_docx
        return read_docx(path)
    if suffix == ".pdf":
        from policygen.read.pdf_reader import read_pdf
        return read_pdf(path)
    from policygen.read.text_reader import read_text_file
    return read_text_file(path)
