"""PDF drafts via their text layer; page numbers are kept in locations."""

from __future__ import annotations

import logging
from pathlib import Path

from policygen.errors import UserError
from policygen.model import Document
from policygen.read.text_reader import parse_text


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
    document: Document | None = None
    for number, text in enumerate(pages, start=1):
        if not text.strip():
            continue
        page_doc = parse_text(text, source=str(path), markdown=False)
        if document is None:
            document = page_doc
            _set_page(document.blocks, number)
            continue
        offset = _paragraph_count(document)
        for block in page_doc.blocks:
            document.blocks.append(_shift(block, offset, number, document))
    assert document is not None
    return document


def _paragraph_count(document: Document) -> int:
    return sum(1 for _ in document.text_units())


def _set_page(blocks, page):
    for i, block in enumerate(blocks):
        blocks[i] = _with_page(block, page, 0, None)


def _shift(block, offset, page, document):
    last_section = next((b.text for b in reversed(document.blocks) if hasattr(b, "level") and b.level > 0), None)
    return _with_page(block, page, offset, last_section)


def _with_page(block, page, offset, section):
    from dataclasses import replace

    from policygen.model import BulletList, Heading, Location

    def loc(location: Location) -> Location:
        return Location(location.section or section, location.paragraph + offset, page)

    if isinstance(block, Heading):
        if block.level == 0 and offset:
            return Heading(1, block.text, loc(block.location))
        return replace(block, location=loc(block.location))
    if isinstance(block, BulletList):
        items = tuple(replace(item, location=loc(item.location)) for item in block.items)
        intro = replace(block.intro, location=loc(block.intro.location)) if block.intro else None
        return replace(block, items=items, intro=intro, location=loc(block.location))
    return replace(block, location=loc(block.location))
