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
        version; "UTKAST" first when the document is not ready for a decision."""
        document = self.document
        root = etree.fromstring(self.base.parts[part])
        paragraphs = [child for child in root if child.tag == f"{_W}p"]
        first = paragraphs[index]
        runs = wordml.run(f"{DRAFT_MARK} – ", bold=True) if document.draft else ""
        runs += wordml.run(" – ".join(part for part in (document.kommun, document.title) if part))
        for element in self._fragment(runs):
            first.append(element)
        reference = []
        for label, shown in (("Diarienummer", "Dnr"), ("Version", "Version")):
            value = document.metadata_value(label)
            if value:
                reference.append(f"{shown} {value}")
        last = first
        if reference:
            properties = wordml.paragraph_properties(self.base.style_id("Header"), align="right")
            last = self._fragment(wordml.paragraph(wordml.run(" · ".join(reference)), properties))[0]
            first.addnext(last)
        _space_after(last, 12.0)
        return self._serialise(root)


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
