"""DOCX drafts: headings from styles or obvious formatting, lists, tables cell
by cell, footnotes. Guards against encrypted files and zip bombs first."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from policygen.errors import UserError
from policygen.model import Document, DocumentBuilder
from policygen.read.headings import list_item_text, looks_like_heading

MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(heading|rubrik)\s*(\d)$", re.IGNORECASE)


def check_docx_container(path: Path) -> None:
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic == _OLE_MAGIC:
        raise UserError("dokumentet är lösenordsskyddat (krypterat) eller sparat i det gamla .doc-formatet",
                        file=path, hint="ta bort lösenordet i Word (Arkiv › Info › Skydda dokument) och spara som .docx")
    if not zipfile.is_zipfile(path):
        raise UserError("filen är ingen giltig .docx (den är inte ett zip-arkiv)", file=path,
                        hint="öppna filen i Word och spara den som 'Word-dokument (*.docx)'")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"filen är en skadad .docx ({exc})", file=path,
                        hint="öppna filen i Word och spara den igen") from None
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > 20 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise UserError(f"filen packas upp till orimligt mycket data ({unpacked / 1e6:.0f} MB)", file=path,
                        hint="filen kan vara skadad eller skadlig; be avsändaren om en ny kopia")
    if "word/document.xml" not in {m.filename for m in members}:
        raise UserError("filen är ett zip-arkiv men inget Word-dokument", file=path,
                        hint="spara utkastet som .docx i Word")


def read_docx(path: Path) -> Document:
    check_docx_container(path)
    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise UserError(f"Word-dokumentet går inte att läsa ({exc.__class__.__name__})", file=path,
                        hint="öppna filen i Word och spara den igen som .docx") from None
    title = word.core_properties.title or ""
    builder = DocumentBuilder(title, source=str(path))
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            builder.bullet_list(list(bullets))
            bullets.clear()

    # python-docx's paragraph.style scans every style per call; map ids once.
    style_names = {style.style_id: style.name for style in word.styles}
    bold_styles = {style.style_id for style in word.styles if getattr(style, "font", None) is not None and style.font.bold}
    first_text = True
    for element in word.element.body.iterchildren():
        if element.tag == f"{_W}tbl":
            flush()
            table = DocxTable(element, word)
            rows = [[_cell_text(cell) for cell in row.cells] for row in table.rows]
            rows = [_dedupe_merged(row) for row in rows if any(row)]
            if rows:
                builder.table(rows[0], rows[1:], kind=_table_kind(rows[0]))
            continue
        if element.tag != f"{_W}p":
            continue
        paragraph = DocxParagraph(element, word)
        text = paragraph.text.strip()
        if not text:
            continue
        style_name = style_names.get(element.style or "", "")
        level = _heading_level(paragraph, text, style_name, bold_styles)
        if level is not None:
            flush()
            if first_text and (level == 0 or not builder.document.title):
                builder.document.title = text
                builder.heading(text, 0)
            else:
                builder.heading(text, max(level, 1))
        elif _is_list_item(paragraph, style_name):
            bullets.append(list_item_text(text) or text)
        else:
            flush()
            builder.paragraph(text)
        first_text = False
    flush()
    for note in _footnotes(word):
        builder.paragraph(note)
    if not builder.document.blocks:
        raise UserError("Word-dokumentet innehåller ingen text", file=path, hint="kontrollera att du valt rätt fil")
    if not builder.document.title:
        builder.document.title = next((t for t, _ in builder.document.text_units()), "")
    return builder.document


def _heading_level(paragraph: DocxParagraph, text: str, name: str, bold_styles: set[str]) -> int | None:
    if name in ("Title", "Rubrik"):
        return 0
    match = _HEADING_STYLE.match(name or "")
    if match:
        return int(match.group(2))
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold = runs and all(r.bold or (r._r.style in bold_styles) for r in runs)
    big = runs and any(r.font.size is not None and r.font.size.pt >= 13 for r in runs)
    if (bold or big) and looks_like_heading(text):
        return 1
    return None


def _is_list_item(paragraph: DocxParagraph, name: str) -> bool:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    return name.lower().startswith(("list", "liststycke")) or list_item_text(paragraph.text) is not None


def _cell_text(cell) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _dedupe_merged(row: list[str]) -> list[str]:
    # python-docx repeats a merged cell's text once per grid column.
    out: list[str] = []
    for text in row:
        if not out or text != out[-1] or not text:
            out.append(text)
    return out


def _table_kind(header: list[str]) -> str:
    joined = " ".join(header).lower()
    if "aktivitet" in joined or "åtgärd" in joined:
        return "activities"
    return "table"


def _footnotes(word) -> list[str]:
    for rel in word.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
            notes = []
            for note in root.iter(f"{_W}footnote"):
                if int(note.get(f"{_W}id", "0")) <= 0:
                    continue
                text = "".join(t.text or "" for t in note.iter(f"{_W}t")).strip()
                if text:
                    notes.append(text)
            return notes
    return []
