"""PDF drafts via their text layer; page numbers are kept in locations."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from policygen.errors import UserError
from policygen.kommuner import kommun_mentions
from policygen.model import Document, DocumentBuilder
from policygen.read.structure import add_table
from policygen.read.text import add_text


def read_pdf(path: Path) -> Document:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with open(path, "rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF"):
            raise UserError("filen är ingen PDF (den saknar PDF-huvudet)", file=path,
                            hint="exportera utkastet som PDF igen eller spara det som .docx")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UserError("PDF-filen är lösenordsskyddad", file=path, hint="spara en kopia utan lösenord")
        properties = _kommun_in_properties(reader)
        tagged = _tagged(path)
        if tagged is not None:
            tagged.kommun_in_properties = properties
            return tagged
        pages = [(page.extract_text() or "") for page in reader.pages]
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 – pypdf fails in many ways on broken files; all mean the same here
        if isinstance(exc, MemoryError):
            raise
        raise UserError(f"PDF-filen är skadad och går inte att läsa ({exc.__class__.__name__})", file=path,
                        hint="exportera utkastet som PDF igen eller skicka det som .docx") from None
    if not any(text.strip() for text in pages):
        raise UserError("PDF-filen har ingen textlager – skannad PDF stöds inte", file=path,
                        hint="kör textigenkänning (OCR) på filen eller skicka utkastet som .docx")
    layout = _layout(path) if len(pages) <= MAX_LAYOUT_PAGES else None
    builder = DocumentBuilder("", source=str(path))
    builder.document.kommun = kommun_in_running_lines(pages)
    builder.document.kommun_in_properties = properties
    if layout is None or len(layout.pages) != len(pages):
        for number, text in enumerate(without_running_lines(pages), start=1):
            builder.page = number
            add_text(builder, text, markdown=False)
        return builder.document
    cleaned = without_running_lines([page.text for page in layout.pages])
    for number, (text, page) in enumerate(zip(cleaned, layout.pages), start=1):
        builder.page = number
        for piece in text.split("\0"):
            if piece.startswith("tabell ") and piece[7:].isdigit():
                rows = [row for row in page.tables[int(piece[7:])] if any(row)]
                if rows:
                    add_table(builder, rows)
            elif piece.strip():
                add_text(builder, piece, markdown=False, headings=layout.headings)
    return builder.document


# Reading the layout costs about a tenth of a second a page; a longer PDF is
# read from its plain text layer so a lint stays within seconds.
MAX_LAYOUT_PAGES = 150


def _layout(path: Path):
    """Tables and heading fonts from the page layout (pdfplumber); None if that fails."""
    # Start-up time: pdfplumber is loaded only when this reading is needed.
    from policygen.read.pdf.layout import read_layout

    try:
        return read_layout(path)
    except Exception:  # noqa: BLE001 – then the plain text layer is all there is
        return None


_PAGE_NUMBER = re.compile(r"^(sida\s*)?\d{1,4}(\s*(av|/|\(|of)\s*\d{1,4}\)?)?$", re.IGNORECASE)
_EDGE = 3  # lines at the top and bottom of a page where running headers and footers sit


def _kommun_in_properties(reader) -> str | None:
    """The kommun the PDF's document information names as its author ("Markaryds kommun")."""
    try:
        author = str((reader.metadata or {}).get("/Author") or "")
    except Exception:  # noqa: BLE001 – a broken information dictionary only means no kommun from it
        return None
    mentions = kommun_mentions(author)
    return mentions[0].kommun.officiellt_namn if mentions else None


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def kommun_in_running_lines(pages: list[str]) -> str | None:
    """The kommun named in the running header or footer, the lines at the top or
    bottom that repeat on two pages or more, as the DOCX reader reads the header."""
    seen: Counter[str] = Counter()
    lines: dict[str, str] = {}
    for text in pages:
        filled = [row for row in text.split("\n") if row.strip()]
        for row in filled[:_EDGE] + filled[-_EDGE:]:
            lines.setdefault(_key(row), row)
        seen.update({_key(row) for row in filled[:_EDGE] + filled[-_EDGE:]})
    for key, count in seen.most_common():
        if count < 2:
            break
        if mentions := kommun_mentions(lines[key]):
            return mentions[0].kommun.officiellt_namn
    return None


def without_running_lines(pages: list[str]) -> list[str]:
    """Drop page numbers and the header/footer lines that repeat on most pages,
    so "Ljungby kommun – Policy" does not become a heading on every page."""
    key = _key
    split = [text.split("\n") for text in pages]
    edges: Counter[str] = Counter()
    for lines in split:
        filled = [text for text in lines if text.strip()]
        edges.update({key(text) for text in filled[:_EDGE] + filled[-_EDGE:]})
    repeated = {k for k, n in edges.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)}
    cleaned = []
    for lines in split:
        filled_at = [i for i, row in enumerate(lines) if row.strip()]
        edge = set(filled_at[:_EDGE] + filled_at[-_EDGE:])
        cleaned.append("\n".join(
            row for i, row in enumerate(lines)
            if not (i in edge and (key(row) in repeated or _PAGE_NUMBER.match(row.strip())))))
    return cleaned


def _tagged(path: Path) -> Document | None:
    """The structure tree of a tagged PDF, when there is a usable one."""
    # Start-up time: pdfplumber is loaded only when this reading is needed.
    from policygen.read.pdf.tagged import read_tagged_pdf

    try:
        return read_tagged_pdf(path)
    except Exception:  # noqa: BLE001 – a broken structure tree means: read the page layout instead
        return None
