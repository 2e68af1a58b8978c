"""Plain text and Markdown drafts."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from policygen.errors import UserError
from policygen.model import Document, DocumentBuilder, Footnote
from policygen.read.headings import list_item_text, looks_like_heading
from policygen.read.structure import (
    add_metadata,
    add_table,
    continues_on_next_line,
    is_page_furniture,
    is_toc_entry,
    looks_like_metadata_run,
    metadata_field,
)

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# A footnote mark in extracted text is a number stuck to the word before it:
# "Regeringen7", "problem6", "(IOP)8".
_FOOTNOTE_MARK = re.compile(r"(?:(?<=[^\W\d_])|(?<=[)\]”])|(?<=[^\d\s]\.))(\d{1,2})(?=[\s.,;:]|$)", re.MULTILINE)
_FOOTNOTE_LINE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_BARE_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
_ELLIPSIS_CONTINUATIONS = {"och", "eller", "samt", "respektive", "till", "som"}
_SENTENCE_END = (".", "!", "?", ":", "”", "\"")
_DECISION_ITEM = re.compile(r"^att\s+\S")
_DECIDE = ("besluta", "beslutar", "besluta:", "beslutar:", "beslutat", "besluta att", "föreslås")


def _joined(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines).strip()


def decode(raw: bytes, path: Path) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            # Marked as UTF-16 but cut short or damaged: part of the text may be missing.
            raise UserError(f"filen är märkt som UTF-16 men går inte att läsa från byte {exc.start} "
                            "(den kan vara avkortad eller skadad)", file=path,
                            hint="öppna filen i en textredigerare, kontrollera slutet och spara den som UTF-8") from None
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


def add_text(builder: DocumentBuilder, text: str, markdown: bool,
             headings: frozenset[str] | None = None) -> None:
    """Append blocks parsed from `text`; the first line of an empty document is its title.

    Plain text and PDF text are often hard-wrapped without blank lines between
    paragraphs: a line that ends a sentence and stops well short of the usual
    line width ends its paragraph. Footnote lines ("7 Regeringens strategi …")
    go to the document's footnotes, not into the running text."""
    lines = _without_furniture(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    marks = set() if markdown else set(_FOOTNOTE_MARK.findall(text))
    notes = {m.group(1) for row in lines[1:] if (m := _FOOTNOTE_LINE.match(row.strip())) and m.group(1) in marks}
    widths = sorted(len(row.rstrip()) for row in lines if len(row.strip()) > 20)
    full_width = widths[int(len(widths) * 0.9)] if len(widths) >= 5 else None
    footnote: list[str] = []
    started: list[int] = []          # line where the pending block began
    if not builder.document.title:
        builder.document.title = next((row.strip().lstrip("#").strip() for row in lines if row.strip()), "")
    paragraph: list[str] = []
    bullets: list[str] = []
    intro: list[str] = []            # the lead-in of the pending list ("Kommunen ska:")
    table: list[list[str]] = []
    fields: list[tuple[str, str]] = []

    def flush() -> None:
        builder.line = started[0] if started else None
        started.clear()
        if paragraph:
            joined = paragraph[0]
            for line in paragraph[1:]:
                # "xxxx-" + "xx-xx." and "närings-" + "livet" were split by the line break;
                # "närings-" + "och arbetsmarknad" is a Swedish word-part ellipsis.
                glued = joined.endswith("-") and joined[-2:-1].isalnum() and \
                    line.split()[0].lower() not in _ELLIPSIS_CONTINUATIONS
                joined += line if glued else " " + line
            paragraph[:] = [joined]
        if footnote:
            number = footnote[0]
            builder.document.footnotes[number] = Footnote(number, " ".join(footnote[1:]))
            footnote.clear()
        if fields:
            add_metadata(builder, fields)
            fields.clear()
        if table:
            rows = [row for row in table if not all(set(cell) <= set("-: ") for cell in row)]
            if rows:  # a table of separator lines only has nothing to read
                add_table(builder, rows)
            table.clear()
        if paragraph:
            if looks_like_metadata_run(paragraph[0]):
                add_metadata(builder, [("Dokumentinformation", paragraph[0])], facts=False)
            else:
                builder.paragraph(paragraph[0])
            paragraph.clear()
        if bullets:
            builder.bullet_list(list(bullets), intro=intro[0] if intro else None)
            bullets.clear()
            intro.clear()

    first = not builder.document.blocks
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        here = index + 1
        if markdown and line.startswith("|") and line.endswith("|"):
            if paragraph or bullets:
                flush()
            started[:] = started or [here]
            table.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if table:
            flush()
        note = _FOOTNOTE_LINE.match(line) if marks and not first else None
        if note and note.group(1) in marks and note.group(1) not in builder.document.footnotes:
            flush()
            footnote += [note.group(1), note.group(2)]
            continue
        if footnote and (line[0].islower() or ("/" in line and " " not in line)):
            footnote.append(line)  # a wrapped footnote or URL
            continue
        if footnote:
            flush()
        if not markdown and _BARE_URL.match(line):
            # A list of links under the footnotes: a source, not running text.
            flush()
            number = f"länk {sum(k.startswith('länk') for k in builder.document.footnotes) + 1}"
            builder.document.footnotes[number] = Footnote(number, line, url=line)
            continue
        field = metadata_field(line) if not (markdown and line.startswith("#")) else None
        if field is not None:
            if paragraph or bullets or table:
                flush()
            started[:] = started or [here]
            fields.append(field)
            first = False
            continue
        if fields:
            flush()
        heading = _MD_HEADING.match(line) if markdown else None
        next_line = lines[index + 1].strip() if index + 1 < len(lines) else ""
        after_next = lines[index + 2].strip() if index + 2 < len(lines) else ""
        if heading:
            flush()
            level = len(heading.group(1)) - 1
            builder.line = here
            builder.heading(heading.group(2), 0 if first and level == 0 else max(level, 1))
        elif (line in headings and not paragraph) if headings is not None else (
                not paragraph and looks_like_heading(line) and not next_line[:1].islower()
                and (not next_line or not looks_like_heading(next_line) or first
                     # a heading over a subheading: "Policy för …" / "Inledning" / running text
                     or (len(after_next) > 60 and looks_like_heading(next_line)))):
            # With the page's fonts known (PDF), a heading is a line set in a heading font.
            flush()
            builder.line = here
            builder.heading(line, 0 if first else 1)
        elif _DECISION_ITEM.match(line) and (bullets and intro and intro[0].endswith(_DECIDE)
                                                           or _joined(paragraph).endswith(_DECIDE)):
            # "Kommunstyrelsen föreslår kommunfullmäktige besluta / att anta … / att uppdra …":
            # each att-sats is a decision of its own.
            if paragraph:
                intro[:] = [_joined(paragraph)]
                paragraph.clear()
            started[:] = started or [here]
            bullets.append(line)
        elif bullets and (line[0].islower() or (markdown and raw[:1].isspace())):
            bullets[-1] += " " + line  # a list item wrapped onto the next line
        elif (item := list_item_text(line)) is not None:
            if paragraph and _joined(paragraph).endswith(":") and not bullets:
                intro[:] = [_joined(paragraph)]
                paragraph.clear()
            elif paragraph:
                flush()
            started[:] = started or [here]
            bullets.append(item)
        else:
            if bullets:
                flush()
            if notes:  # "Regeringen7 använder …" → "Regeringen använder …"
                line = _FOOTNOTE_MARK.sub(lambda m: "" if m.group(1) in notes else m.group(1), line)
            started[:] = started or [here]
            paragraph.append(line)
            if full_width and line.endswith(_SENTENCE_END) and len(raw.rstrip()) < 0.8 * full_width:
                flush()
            elif full_width and len(raw.rstrip()) < 0.4 * full_width and next_line[:1].isupper() \
                    and not _DECISION_ITEM.match(next_line):
                flush()  # a short line before a capital: the line break was meant (a letterhead, a list of names)
        first = False
    flush()


def _without_furniture(lines: list[str]) -> list[str]:
    """Drop page markers and table-of-contents entries; rejoin a label that a
    copied PDF broke over a blank line."""
    kept: list[str] = []
    pending_blank = False
    for line in lines:
        stripped = line.strip()
        if is_page_furniture(stripped) or is_toc_entry(stripped):
            continue
        if not stripped:
            pending_blank = True
            kept.append(line)
            continue
        if pending_blank and kept and stripped[:1].islower():
            previous = len(kept) - 1
            while previous >= 0 and not kept[previous].strip():
                previous -= 1
            if previous >= 0 and continues_on_next_line(kept[previous]):
                kept[previous] = kept[previous].rstrip() + " " + stripped
                del kept[previous + 1:]
                pending_blank = False
                continue
        pending_blank = False
        kept.append(line)
    return kept
