"""Plain text and Markdown drafts."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from policygen.errors import UserError
from policygen.model import Document, DocumentBuilder
from policygen.read.headings import list_item_text, looks_like_heading

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def decode(raw: bytes, path: Path) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw[:1000]:
        raise UserError("filen verkar vara binär, inte text", file=path,
                        hint="spara utkastet som vanlig text (UTF-8) eller som .docx")
    # Older Windows tools save Swedish text as cp1252 (a superset of latin-1).
    return raw.decode("cp1252", errors="replace")


def read_text_file(path: Path) -> Document:
    text = decode(path.read_bytes(), path)
    return parse_text(text, source=str(path), markdown=path.suffix.lower() in (".md", ".markdown"))


def parse_text(text: str, source: str | None = None, markdown: bool = True) -> Document:
    builder = DocumentBuilder("", source=source)
    add_text(builder, text, markdown)
    if not builder.document.blocks:
        raise UserError("filen innehåller ingen text", file=source, hint="kontrollera att du valt rätt fil")
    return builder.document


def add_text(builder: DocumentBuilder, text: str, markdown: bool) -> None:
    """Append blocks parsed from `text`; the first line of an empty document is its title."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not builder.document.title:
        builder.document.title = next((l.strip().lstrip("#").strip() for l in lines if l.strip()), "")
    paragraph: list[str] = []
    bullets: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if table:
            rows = [row for row in table if not all(set(cell) <= set("-: ") for cell in row)]
            builder.table(rows[0], rows[1:], kind="activities" if "aktivitet" in " ".join(rows[0]).lower() else "table")
            table.clear()
        if paragraph:
            builder.paragraph(" ".join(paragraph))
            paragraph.clear()
        if bullets:
            builder.bullet_list(list(bullets))
            bullets.clear()

    first = not builder.document.blocks
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        if markdown and line.startswith("|") and line.endswith("|"):
            if paragraph or bullets:
                flush()
            table.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if table:
            flush()
        heading = _MD_HEADING.match(line) if markdown else None
        next_line = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if heading:
            flush()
            level = len(heading.group(1)) - 1
            builder.heading(heading.group(2), 0 if first and level == 0 else max(level, 1))
        elif not paragraph and looks_like_heading(line) and (not next_line or not looks_like_heading(next_line) or first):
            flush()
            builder.heading(line, 0 if first else 1)
        elif (item := list_item_text(line)) is not None:
            if paragraph:
                flush()
            bullets.append(item)
        else:
            if bullets:
                flush()
            paragraph.append(line)
        first = False
    flush()
