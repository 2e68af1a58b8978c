"""Document model → DOCX with Word's built-in styles, real footnotes, an
accessible metadata table, a table of contents for long documents, header,
"Sida X av Y" footer and the properties a case system reads.

The document's text is written as WordprocessingML (policygen.render.docx.wordml)
into a prepared base (policygen.render.docx.base) that holds the styles, page setup
and page furniture of the built-in look or of a kommun's template."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from policygen.model import BulletList, Document, Heading, Paragraph, Table, Text
from policygen.render import layout
from policygen.render.docx import wordml
from policygen.render.docx.base import TOC_LEVELS, PreparedBase, prepared_base
from policygen.render.docx.properties import DRAFT_MARK, METADATA_HEADER, property_parts
from policygen.render.docx.wordml import W_NS, xml_safe

__all__ = ["render_docx", "xml_safe"]

_HEADER_FILL = "D9E2F3"
_LABEL_FILL = "F2F2F2"
# Captions that a screen reader announces for each kind of table.
_TABLE_CAPTIONS = {"metadata": "Dokumentuppgifter", "activities": "Aktiviteter", "versioner": "Versionshistorik"}
_EMU_PER_TWIP = 635
_EMU_PER_CM = 360000
_W = f"{{{W_NS}}}"


def render_docx(document: Document, reference_docx: Path | None = None,
                now: dt.datetime | None = None) -> bytes:
    """The finished DOCX as bytes (the caller writes it atomically)."""
    base = prepared_base(reference_docx)
    return _Assembly(document, base).package(now)


def _twips(emu: float) -> int:
    return int(round(emu / _EMU_PER_TWIP))


class _Assembly:
    def __init__(self, document: Document, base: PreparedBase) -> None:
        self.document = document
        self.base = base
        self.footnotes_root = etree.fromstring(base.parts[base.footnotes_part])
        # A template's separators keep their ids; ours follow them. Only plain
        # ASCII numbers count ("²".isdigit() is true, but int() refuses it).
        ids = [int(value) for note in self.footnotes_root.iter(f"{_W}footnote")
               if re.fullmatch(r"-?[0-9]+", value := note.get(f"{_W}id", ""))]
        self._next_note_id = max([0, *ids]) + 1
        self.notes: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.body: list[str] = []
        self._after_table = False
        self.toc = False

    def package(self, now: dt.datetime | None) -> bytes:
        self._write_body()
        replaced = dict(property_parts(self.document, now))
        replaced[self.base.core_part] = replaced.pop("docProps/core.xml")
        replaced[self.base.document_part] = self._document_xml()
        replaced[self.base.footnotes_part] = self._footnotes_xml()
        rels_name = _rels_name(self.base.footnotes_part)
        if self.links:
            replaced[rels_name] = wordml.relationships(self.links)
        if self.toc:
            replaced[self.base.settings_part] = self.base.settings_with_field_update
        for part, index in self.base.header_paragraphs.items():
            replaced[part] = self._header_xml(part, index)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            # [Content_Types].xml first, as Word and python-docx write it.
            for name, content in self.base.parts.items():
                archive.writestr(name, replaced.pop(name, content))
            for name, content in replaced.items():
                archive.writestr(name, content)
        return out.getvalue()

    # -- the body ------------------------------------------------------------------

    def _write_body(self) -> None:
        document, base = self.document, self.base
        self.toc = layout.needs_table_of_contents(document, base.text_width_cm, base.body_font)
        bookmarks = self._bookmarks() if self.toc else {}
        new_pages = layout.part_headings(document)
        for index, block in enumerate(document.blocks):
            if isinstance(block, Heading) and block.level == 0:
                self._paragraph("Title", wordml.run(block.text))
                if document.metadata:
                    rows = [list(METADATA_HEADER)] + [[item.label, item.value] for item in document.metadata]
                    self._table(rows, "metadata", label_column=True)
                if self.toc:
                    self._table_of_contents(bookmarks)
            elif isinstance(block, Heading):
                content = wordml.run(block.text)
                if index in bookmarks:
                    content = wordml.bookmarked(content, bookmarks[index], index)
                self._paragraph(f"Heading {min(max(block.level, 1), 3)}", content,
                                page_break_before=index in new_pages)
            elif isinstance(block, Paragraph):
                self._paragraph(None, self._runs(block))
            elif isinstance(block, BulletList):
                if block.intro is not None:
                    self._paragraph(None, self._runs(block.intro))
                for item in block.items:
                    self._paragraph("List Bullet", self._runs(item))
            elif isinstance(block, Table):
                self._table([list(block.header), *[list(row) for row in block.rows]], block.kind)

    def _paragraph(self, style: str | None, content: str, page_break_before: bool = False) -> None:
        space_before = None
        if self._after_table:
            # Space after a table comes from the paragraph, never from an empty one.
            if style is None or not style.startswith("Heading"):
                space_before = 12.0
            self._after_table = False
        style_id = self.base.style_id(style) if style else None
        self.body.append(wordml.paragraph(content, wordml.paragraph_properties(
            style_id, page_break_before=page_break_before, space_before_pt=space_before)))

    def _runs(self, block: Paragraph) -> str:
        content = []
        for piece in block.runs:
            if isinstance(piece, Text):
                content.append(wordml.run(piece.text))
            else:
                note = self.document.footnotes[piece.footnote_id]
                note_id = self._next_note_id
                self._next_note_id += 1
                rel_id = None
                if note.url:
                    rel_id = f"rId{len(self.links) + 1}"
                    self.links.append((rel_id, xml_safe(note.url)))
                self.notes.append(wordml.footnote(note_id, note.text, rel_id, note.url))
                content.append(wordml.footnote_reference(note_id))
        return "".join(content)

    def _table(self, rows: list[list[str]], kind: str, label_column: bool = False) -> None:
        # Every row as wide as the widest, so a short row loses no column of the others.
        columns = max(len(row) for row in rows)
        rows = [list(row) + [""] * (columns - len(row)) for row in rows]
        header, body = tuple(rows[0]), tuple(tuple(row) for row in rows[1:])
        widths_cm = layout.column_widths(header, body, self.base.text_width_cm,
                                         layout.char_width_cm(self.base.body_font, layout.TABLE_SIZE_PT))
        caption = _TABLE_CAPTIONS.get(kind) or ", ".join(header)
        self.body.append(wordml.table(
            rows, [_twips(int(width * _EMU_PER_CM)) for width in widths_cm], _twips(self.base.text_width_emu),
            self.base.style_id("Table Grid"), xml_safe(caption), layout.TABLE_SIZE_PT, _HEADER_FILL,
            _LABEL_FILL if label_column else None))
        self._after_table = True

    def _table_of_contents(self, bookmarks: dict[int, str]) -> None:
        self._paragraph("TOC Heading", wordml.run("Innehåll"))
        entries = []
        for index, bookmark in bookmarks.items():
            heading = self.document.blocks[index]
            assert isinstance(heading, Heading)
            style_id = self.base.style_id(f"TOC {heading.level}") or ""
            entries.append((style_id, heading.text, bookmark))
        self.body.extend(wordml.toc_entries(entries, f"1-{TOC_LEVELS}"))

    def _bookmarks(self) -> dict[int, str]:
        headings = [index for index, block in enumerate(self.document.blocks)
                    if isinstance(block, Heading) and 1 <= block.level <= TOC_LEVELS]
        # "_Toc…" bookmarks are hidden in Word's bookmark list, as Word's own are.
        return {index: f"_Toc{number:04d}" for number, index in enumerate(headings, start=1)}

    # -- parts -----------------------------------------------------------------------

    def _fragment(self, content: str) -> Any:
        return etree.fromstring(f'<w:body xmlns:w="{W_NS}">{content}</w:body>')

    def _serialise(self, root: Any) -> bytes:
        result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return result

    def _document_xml(self) -> bytes:
        root = etree.fromstring(self.base.parts[self.base.document_part])
        body = root.find(f"{_W}body")
        if body is None:  # python-docx gives every base a body; this keeps the types honest
            body = etree.SubElement(root, f"{_W}body")
        section = body.find(f"{_W}sectPr")
        for element in self._fragment("".join(self.body)):
            if section is not None:
                section.addprevious(element)
            else:
                body.append(element)
        return self._serialise(root)

    def _footnotes_xml(self) -> bytes:
        for note in self._fragment("".join(self.notes)):
            self.footnotes_root.append(note)
        return self._serialise(self.footnotes_root)

    def _header_xml(self, part: str, index: int) -> bytes:
        """The header's line: kommun and document name, then diarienummer and
        version; "UTKAST" first when the document is not ready for a decision.
        A kommun template's own header (a logo, a table with the coat of arms)
        stays on top, and the diarienummer is fitted in beside it: in the last
        cell of the header table's first row (with the document's name), or
        right-aligned on the logo's line (the name then on the line below)."""
        document = self.document
        root = etree.fromstring(self.base.parts[part])
        paragraphs = [child for child in root if child.tag == f"{_W}p"]
        first = paragraphs[index]
        runs = wordml.run(f"{DRAFT_MARK} – ", bold=True) if document.draft else ""
        runs += wordml.run(" – ".join(part for part in (document.kommun, document.title) if part))
        reference = []
        for label, shown in (("Diarienummer", "Dnr"), ("Version", "Version")):
            value = document.metadata_value(label)
            if value:
                reference.append(f"{shown} {value}")
        reference_run = wordml.run(" · ".join(reference)) if reference else ""
        beside = _template_art(root, first)
        if beside is not None and beside.tag == f"{_W}tc":
            properties = wordml.paragraph_properties(self.base.style_id("Header"), align="right", space_after_pt=0)
            for content in (runs, reference_run):
                if content:
                    beside.append(self._fragment(wordml.paragraph(content, properties))[0])
            _space_after(first, 12.0)
            return self._serialise(root)
        if beside is not None and reference_run:
            # The diarienummer on the logo's line at the right margin; the
            # longer line with the document's name stays below, right-aligned,
            # where it has the whole width.
            _right_tab(beside, self.base.text_width_emu // 635, self._style_tabs(beside))  # EMU → twips
            for element in self._fragment(wordml.run_tab() + reference_run):
                beside.append(element)
            for element in self._fragment(runs):
                first.append(element)
            _space_after(first, 12.0)
            return self._serialise(root)
        for element in self._fragment(runs):
            first.append(element)
        last = first
        if reference:
            properties = wordml.paragraph_properties(self.base.style_id("Header"), align="right")
            last = self._fragment(wordml.paragraph(reference_run, properties))[0]
            first.addnext(last)
        _space_after(last, 12.0)
        return self._serialise(root)

    def _style_tabs(self, paragraph: Any) -> list[str]:
        """The tab stops the paragraph's style sets (Word's Header style has a
        centre and a right stop), which our line must clear to reach the margin."""
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        styles = self.base.parts.get("word/styles.xml")
        if style is None or styles is None:
            return []
        root = etree.fromstring(styles)
        for definition in root.findall(f"{_W}style"):
            if definition.get(f"{_W}styleId") == style.get(f"{_W}val"):
                return [str(tab.get(f"{_W}pos")) for tab in definition.findall(f"{_W}pPr/{_W}tabs/{_W}tab")
                        if tab.get(f"{_W}pos")]
        return []


def _template_art(root: Any, ours: Any) -> Any:
    """What a template's header shows before the paragraph our line would go
    in: the last cell of its table's first row, or its first paragraph with a
    picture or text; None for a header that is empty above our line."""
    for child in root:
        if child is ours:
            return None
        if child.tag == f"{_W}tbl" and _shows_something(child):
            row = child.find(f"{_W}tr")
            cells = row.findall(f"{_W}tc") if row is not None else []
            if cells:
                return cells[-1]
        if child.tag == f"{_W}p" and _shows_something(child):
            return child
    return None


def _shows_something(element: Any) -> bool:
    """A picture or text: an empty table or paragraph is no header art."""
    return (element.find(f".//{_W}drawing") is not None or element.find(f".//{_W}pict") is not None
            or bool("".join(element.itertext()).strip()))


# Children of w:pPr that come before w:tabs in the schema.
_BEFORE_TABS = {f"{_W}{tag}" for tag in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd")}


def _right_tab(paragraph: Any, position_twips: int, inherited: list[str]) -> None:
    """A right-aligned tab stop at the text's right edge, so text after a tab
    ends at the margin beside what the line already holds; the style's own
    stops are cleared so the first tab goes straight there."""
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        properties = etree.Element(f"{_W}pPr")
        paragraph.insert(0, properties)
    tabs = properties.find(f"{_W}tabs")
    if tabs is None:
        tabs = etree.Element(f"{_W}tabs")
        before = [child for child in properties if child.tag in _BEFORE_TABS]
        if before:
            before[-1].addnext(tabs)
        else:
            properties.insert(0, tabs)
    for position in inherited:
        if position != str(position_twips):
            cleared = etree.SubElement(tabs, f"{_W}tab")
            cleared.set(f"{_W}val", "clear")
            cleared.set(f"{_W}pos", position)
    stop = etree.SubElement(tabs, f"{_W}tab")
    stop.set(f"{_W}val", "right")
    stop.set(f"{_W}pos", str(position_twips))


# Children of w:pPr that come after w:spacing in the schema.
_AFTER_SPACING = {f"{_W}{tag}" for tag in (
    "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")}


def _space_after(paragraph: Any, points: float) -> None:
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        properties = etree.Element(f"{_W}pPr")
        paragraph.insert(0, properties)
    spacing = properties.find(f"{_W}spacing")
    if spacing is None:
        spacing = etree.Element(f"{_W}spacing")
        later = next((child for child in properties if child.tag in _AFTER_SPACING), None)
        if later is not None:
            later.addprevious(spacing)
        else:
            properties.append(spacing)
    spacing.set(f"{_W}after", str(round(points * 20)))


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
