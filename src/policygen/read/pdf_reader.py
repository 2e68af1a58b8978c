"""PDF drafts via their text layer; page numbers are kept in locations."""

from __future__ import annotations

import logging
from pathlib import Path

from policygen.errors import UserError
from policygen.model import Document, DocumentBuilder
from policygen.read.text_reader import add_text


def read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with open(path, "rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF"):
            raise UserError("filen är ingen PDF (den saknar PDF-huvudet)", file=path,
                            hint="exportera utkastet som PDF igen eller spara det som .docx")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UserError("PDF-filen är lösenordsskyddad", file=path, hint="spara en kopia utan lösenord")
        pages = [(page.extract_text() or "") for page in reader.pages]
    except UserError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise UserError(f"PDF-filen är skadad och går inte att läsa ({exc.__class__.__name__})", file=path,
                        hint="exportera utkastet som PDF igen eller skicka det som .docx") from None
    if not any(text.strip() for text in pages):
        raise UserError("PDF-filen har ingen textlager – skannad PDF stöds inte", file=path,
                        hint="kör textigenkänning (OCR) på filen eller skicka utkastet som .docx")
    builder = DocumentBuilder("", source=str(path))
    for number, text in enumerate(pages, start=1):
        builder.page = number
        add_text(builder, text, markdown=False)
    return builder.document
