"""Readers: a draft file (DOCX, PDF, TXT, Markdown) → the shared Document model."""

from __future__ import annotations

from pathlib import Path

from policygen.errors import UserError
from policygen.model import Document

MAX_FILE_BYTES = 50 * 1024 * 1024
SUPPORTED = (".docx", ".pdf", ".txt", ".md", ".markdown")


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise UserError("filen finns inte", file=path, hint="kontrollera sökvägen och filnamnet")
    if path.is_dir():
        raise UserError("det här är en mapp", file=path, hint="ange en fil, eller granska hela mappen med 'policygen lint MAPP'")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UserError(f"filtypen '{path.suffix or '(ingen)'}' stöds inte", file=path,
                        hint="spara utkastet som .docx, .pdf, .txt eller .md")
    size = path.stat().st_size
    if size == 0:
        raise UserError("filen är tom", file=path, hint="kontrollera att du valt rätt fil")
    if size > MAX_FILE_BYTES:
        raise UserError(f"filen är för stor ({size / 1e6:.0f} MB; gränsen är 50 MB)", file=path,
                        hint="dela upp dokumentet eller ta bort inbäddade bilder")
    if suffix == ".docx":
        from policygen.docx.reader import read_docx
        return read_docx(path)
    if suffix == ".pdf":
        from policygen.read.pdf_reader import read_pdf
        return read_pdf(path)
    from policygen.read.text_reader import read_text_file
    return read_text_file(path)
