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
# Markdown footnotes: "[^lou]: Lagen (2016:1145) …" defines one, "[^lou]" in the text refers to it.
_MD_FOOTNOTE = re.compile(r"^\[\^([^\]\s]{1,40})\]:\s*(.*)$")
_MD_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]{1,40}\]")
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
    go to the document's footnotes, not into the running text. `headings`,
    when given (a PDF whose fonts are known), are the lines set as headings."""
    _TextParser(builder, text, markdown, headings).parse()


class _PendingBlocks:
    """What has been read but not yet added: the lines of one paragraph, list,
    table, metadata block or footnote, and the line where it began. Only one
    kind is pending at a time, except a list's lead-in with its items."""

    def __init__(self) -> None:
        self.paragraph: list[str] = []
        self.bullets: list[str] = []
        self.intro: list[str] = []            # the lead-in of the pending list ("Kommunen ska:")
        self.table: list[list[str]] = []
        self.fields: list[tuple[str, str]] = []
        self.footnote: list[str] = []         # number, then the note's lines
        self.started: int | None = None       # line where the pending block began

    def begin(self, line_number: int) -> None:
        if self.started is None:
            self.started = line_number

    def flush(self, builder: DocumentBuilder) -> None:
        """Add what is pending to the document, in the order it can have been read."""
        builder.line, self.started = self.started, None
        if self.footnote:
            number = self.footnote[0]
            builder.document.footnotes[number] = Footnote(number, " ".join(self.footnote[1:]))
            self.footnote.clear()
        if self.fields:
            add_metadata(builder, self.fields)
            self.fields.clear()
        if self.table:
            rows = [row for row in self.table if not all(set(cell) <= set("-: ") for cell in row)]
            if rows:  # a table of separator lines only has nothing to read
                add_table(builder, rows)
            self.table.clear()
        if self.paragraph:
            joined = _glued(self.paragraph)
            if looks_like_metadata_run(joined):
                add_metadata(builder, [("Dokumentinformation", joined)], facts=False)
            else:
                builder.paragraph(joined)
            self.paragraph.clear()
        if self.bullets:
            builder.bullet_list(list(self.bullets), intro=self.intro[0] if self.intro else None)
            self.bullets.clear()
            self.intro.clear()

    def take_paragraph_as_intro(self) -> None:
        self.intro[:] = [_joined(self.paragraph)]
        self.paragraph.clear()


def _glued(lines: list[str]) -> str:
    """A paragraph's lines as one text: "xxxx-" + "xx-xx." and "närings-" +
    "livet" were split by the line break; "närings-" + "och arbetsmarknad" is a
    Swedish word-part ellipsis and keeps its space."""
    joined = lines[0]
    for line in lines[1:]:
        glued = joined.endswith("-") and joined[-2:-1].isalnum() and \
            line.split()[0].lower() not in _ELLIPSIS_CONTINUATIONS
        joined += line if glued else " " + line
    return joined


class _TextParser:
    """Reads the lines of a text one by one; each kind of line has its method,
    tried in the order a reader would: table row, footnote, bare link,
    metadata field, heading, decision item, list item, running text."""

    def __init__(self, builder: DocumentBuilder, text: str, markdown: bool,
                 headings: frozenset[str] | None) -> None:
        self.builder, self.markdown, self.headings = builder, markdown, headings
        self.lines = _without_furniture(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        self.marks = set() if markdown else set(_FOOTNOTE_MARK.findall(text))
        self.notes = {m.group(1) for row in self.lines[1:]
                      if (m := _FOOTNOTE_LINE.match(row.strip())) and m.group(1) in self.marks}
        widths = sorted(len(row.rstrip()) for row in self.lines if len(row.strip()) > 20)
        self.full_width = widths[int(len(widths) * 0.9)] if len(widths) >= 5 else None
        self.pending = _PendingBlocks()
        self.taken: set[int] = set()
        self.first = not builder.document.blocks   # the next line may be the document's title
        if not builder.document.title:
            builder.document.title = next((row.strip().lstrip("#").strip() for row in self.lines if row.strip()), "")

    def flush(self) -> None:
        self.pending.flush(self.builder)

    def parse(self) -> None:
        for index, raw in enumerate(self.lines):
            line = raw.strip()
            if index in self.taken:
                continue  # already read as the end of a heading set over two lines
            if not line:
                self.flush()
                continue
            if not self._read_line(index, raw, line):
                continue
            self.first = False
        self.flush()

    def _next(self, index: int, ahead: int = 1) -> str:
        return self.lines[index + ahead].strip() if index + ahead < len(self.lines) else ""

    def _read_line(self, index: int, raw: str, line: str) -> bool:
        """Read one non-blank line; False when it leaves `first` as it was."""
        here, pending = index + 1, self.pending
        if self.markdown and "[^" in line and not _MD_FOOTNOTE.match(line):
            line = _MD_FOOTNOTE_REF.sub("", line)  # a reference is a mark, not words of the text
        if self.markdown and line.startswith("|") and line.endswith("|"):
            self._table_row(line, here)
            return False
        if pending.table:
            self.flush()
        if self._footnote(line) or self._markdown_footnote(line):
            return False
        if self._bare_url(line):
            return False
        field = metadata_field(line) if not (self.markdown and line.startswith("#")) else None
        if field is not None:
            if pending.paragraph or pending.bullets or pending.table:
                self.flush()
            pending.begin(here)
            pending.fields.append(field)
            return True
        if pending.fields:
            self.flush()
        if not self._heading(index, line):
            self._text_or_list(index, raw, line)
        return True

    def _table_row(self, line: str, here: int) -> None:
        if self.pending.paragraph or self.pending.bullets:
            self.flush()
        self.pending.begin(here)
        self.pending.table.append([cell.strip() for cell in line.strip("|").split("|")])

    def _footnote(self, line: str) -> bool:
        """A footnote line ("7 Regeringens strategi …") or its wrapped continuation."""
        pending, footnotes = self.pending, self.builder.document.footnotes
        note = _FOOTNOTE_LINE.match(line) if self.marks and not self.first else None
        if note and note.group(1) in self.marks and note.group(1) not in footnotes:
            self.flush()
            pending.footnote += [note.group(1), note.group(2)]
            return True
        if pending.footnote and (line[0].islower() or ("/" in line and " " not in line)):
            pending.footnote.append(line)  # a wrapped footnote or URL
            return True
        if pending.footnote:
            self.flush()
        return False

    def _markdown_footnote(self, line: str) -> bool:
        """A Markdown footnote definition: a source, kept with the document's footnotes."""
        if not self.markdown or not (note := _MD_FOOTNOTE.match(line)):
            return False
        self.flush()
        number, text = note.group(1), note.group(2).strip()
        self.builder.document.footnotes[number] = Footnote(number, text)
        return True

    def _bare_url(self, line: str) -> bool:
        """A list of links under the footnotes: a source, not running text."""
        if self.markdown or not _BARE_URL.match(line):
            return False
        self.flush()
        footnotes = self.builder.document.footnotes
        number = f"länk {sum(k.startswith('länk') for k in footnotes) + 1}"
        footnotes[number] = Footnote(number, line, url=line)
        return True

    def _heading(self, index: int, line: str) -> bool:
        heading = _MD_HEADING.match(line) if self.markdown else None
        if heading:
            self.flush()
            level = len(heading.group(1)) - 1
            self.builder.line = index + 1
            self.builder.heading(heading.group(2), 0 if self.first and level == 0 else max(level, 1))
            return True
        if not self._is_plain_heading(index, line):
            return False
        self.flush()
        self.builder.line = index + 1
        self.builder.heading(self._wrapped_heading(index, line), 0 if self.first else 1)
        return True

    def _wrapped_heading(self, index: int, line: str) -> str:
        """A heading the PDF wrapped onto the next line in the same font
        ("Riktlinjer för IOP i Stenungsunds" / "kommun"), read as one heading."""
        if self.headings is None:
            return line
        ahead = 1
        while (following := self._next(index, ahead)) and following in self.headings \
                and (following[:1].islower() or continues_on_next_line(line)):
            line += " " + following
            self.taken.add(index + ahead)
            ahead += 1
        return line

    def _is_plain_heading(self, index: int, line: str) -> bool:
        if self.pending.paragraph:
            return False
        if self.headings is not None:
            # With the page's fonts known (PDF), a heading is a line set in a heading font.
            return line in self.headings
        next_line, after_next = self._next(index), self._next(index, 2)
        return (looks_like_heading(line) and not next_line[:1].islower()
                and (not next_line or not looks_like_heading(next_line) or self.first
                     # a heading over a subheading: "Policy för …" / "Inledning" / running text
                     or (len(after_next) > 60 and looks_like_heading(next_line))))

    def _text_or_list(self, index: int, raw: str, line: str) -> None:
        pending, here = self.pending, index + 1
        if _DECISION_ITEM.match(line) and (pending.bullets and pending.intro and pending.intro[0].endswith(_DECIDE)
                                           or _joined(pending.paragraph).endswith(_DECIDE)):
            # "Kommunstyrelsen föreslår kommunfullmäktige besluta / att anta … / att uppdra …":
            # each att-sats is a decision of its own.
            if pending.paragraph:
                pending.take_paragraph_as_intro()
            pending.begin(here)
            pending.bullets.append(line)
        elif pending.bullets and (line[0].islower() or (self.markdown and raw[:1].isspace())):
            pending.bullets[-1] += " " + line  # a list item wrapped onto the next line
        elif (item := list_item_text(line)) is not None:
            if pending.paragraph and _joined(pending.paragraph).endswith(":") and not pending.bullets:
                pending.take_paragraph_as_intro()
            elif pending.paragraph:
                self.flush()
            pending.begin(here)
            pending.bullets.append(item)
        else:
            self._running_text(index, raw, line)

    def _running_text(self, index: int, raw: str, line: str) -> None:
        pending = self.pending
        if pending.bullets:
            self.flush()
        if self.notes:  # "Regeringen7 använder …" → "Regeringen använder …"
            line = _FOOTNOTE_MARK.sub(lambda m: "" if m.group(1) in self.notes else m.group(1), line)

        pending.begin(index + 1)
        pending.paragraph.append(line)
        if not self.full_width:
            return
        next_line = self._next(index)
        if line.endswith(_SENTENCE_END) and len(raw.rstrip()) < 0.8 * self.full_width:
            self.flush()
        elif len(raw.rstrip()) < 0.4 * self.full_width and next_line[:1].isupper() \
                and not _DECISION_ITEM.match(next_line):
            self.flush()  # a short line before a capital: the line break was meant (a letterhead, a list of names)


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
