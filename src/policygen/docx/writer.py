"""Document model → DOCX with Word's built-in styles, real footnotes, an
accessible metadata table, a table of contents for long documents, header,
"Sida X av Y" footer and the properties a case system reads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from docx.styles.style import StyleFactory

from policygen.errors import UserError
from policygen.inputs import check_regular_file
from policygen.model import BulletList, Document, Heading, Paragraph, Table, Text
from policygen.read import MAX_FILE_BYTES
from policygen.docx import ooxml
from policygen.render import layout
from policygen.docx.ooxml import xml_safe
from policygen.docx.package import DRAFT_MARK, METADATA_HEADER, finish_package

__all__ = ["render_docx", "xml_safe"]

_HEADER_FILL = "D9E2F3"
_LABEL_FILL = "F2F2F2"
_TOC_LEVELS = 2
# Captions that a screen reader announces for each kind of table.
_TABLE_CAPTIONS = {"metadata": "Dokumentuppgifter", "activities": "Aktiviteter", "versioner": "Versionshistorik"}

_DEFAULT_TEXT_WIDTH_CM = 16.0


def render_docx(document: Document, reference_docx: Path | None = None,
                now: dt.datetime | None = None) -> bytes:
    """The finished DOCX as bytes (the caller writes it atomically)."""
    word = _open_base(reference_docx)
    writer = _DocxWriter(word)
    writer.write(document)
    finish_package(word, document, now)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _open_base(reference_docx: Path | None):
    if reference_docx is None:
        word = docx.Document()
        section = word.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.25)
        normal = word.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        return word
    path = Path(reference_docx)
    # The same limits as a draft: a regular file of at most 50 MB.
    check_regular_file(path, "Word-mallen", MAX_FILE_BYTES)
    from policygen.docx.reader import check_docx_container

    # Every part unpacked and counted first: python-docx reads them all, with
    # no limit of its own.
    check_docx_container(path, "Word-mallen", verify_all=True)
    from lxml import etree

    from policygen.docx.template_safety import clean_template

    try:
        # Styles, page setup, header art and numbering only: no macros, no
        # attached template, no external links (templates are data, not code).
        word = docx.Document(io.BytesIO(clean_template(path.read_bytes(), path)))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise UserError(f"Word-mallen går inte att öppna ({exc})", file=path,
                        hint="öppna mallen i Word och spara den igen som .docx") from None
    ooxml.clear_body(word)
    _complete_template(word)
    return word


def _complete_template(word) -> None:
    """What a real municipal template may lack and the writer needs: a section
    (an empty body has none) and a Normal style."""
    if word.element.body.sectPr is None:
        word.element.body.get_or_add_sectPr()
        section = word.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    if "Normal" not in [style.name for style in word.styles]:
        normal = word.styles.add_style("Normal", WD_STYLE_TYPE.PARAGRAPH)
        normal.element.set(qn("w:default"), "1")


def _set_column_widths(table, grid, widths) -> None:
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for cells in grid:
        for cell, width in zip(cells, widths):
            cell.width = width


class _DocxWriter:
    def __init__(self, word) -> None:
        self.word = word
        self._footnotes: ooxml.Footnotes | None = None
        self._style_cache: dict[tuple, object] = {}
        self._used_styles: set[str] = set()
        self._after_table = False
        section = word.sections[-1]
        try:
            width = section.page_width - section.left_margin - section.right_margin
            self.text_width = Emu(width)
        except TypeError:  # a template section without page size or margins
            self.text_width = Emu(Cm(_DEFAULT_TEXT_WIDTH_CM))
        # None: the theme's body font (Calibri in python-docx's and Word's default theme).
        self.body_font: str | None = word.styles["Normal"].font.name

    def write(self, document: Document) -> None:
        ooxml.set_document_language(self.word, "sv-SE")
        self._header_footer(document)
        toc = layout.needs_table_of_contents(document, self.text_width.cm, self.body_font)
        bookmarks = self._bookmarks(document) if toc else {}
        new_pages = layout.part_headings(document)
        for index, block in enumerate(document.blocks):
            if isinstance(block, Heading) and block.level == 0:
                self._styled_paragraph("Title", xml_safe(block.text))
                if document.metadata:
                    self._metadata_table(document)
                if toc:
                    self._table_of_contents(document, bookmarks)
            elif isinstance(block, Heading):
                paragraph = self._styled_paragraph(f"Heading {block.level}", xml_safe(block.text))
                if index in bookmarks:
                    ooxml.add_bookmark(paragraph, bookmarks[index], index)
                if index in new_pages:
                    ooxml.page_break_before(paragraph)
            elif isinstance(block, Paragraph):
                self._paragraph(block, document)
            elif isinstance(block, BulletList):
                if block.intro is not None:
                    self._paragraph(block.intro, document)
                for item in block.items:
                    self._paragraph(item, document, style="List Bullet")
            elif isinstance(block, Table):
                self._table(block.header, block.rows, block.kind)
        self._make_colours_readable()

    # -- blocks ----------------------------------------------------------------

    def _styled_paragraph(self, style_name: str | None, text: str = ""):
        paragraph = self.word.add_paragraph(text)
        if style_name is not None:
            # By id: python-docx's paragraph.style = … scans every style each time.
            ooxml.set_paragraph_style(paragraph, self._style(style_name).style_id)
            self._used_styles.add(style_name)
        if self._after_table:
            # Space after a table comes from the paragraph, never from an empty one.
            if style_name is None or not style_name.startswith("Heading"):
                paragraph.paragraph_format.space_before = Pt(12)
            self._after_table = False
        return paragraph

    def _paragraph(self, block: Paragraph, document: Document, style: str | None = None):
        paragraph = self._styled_paragraph(style)
        for run in block.runs:
            if isinstance(run, Text):
                paragraph.add_run(xml_safe(run.text))
            else:
                note = document.footnotes[run.footnote_id]
                self.footnotes.add(paragraph, xml_safe(note.text), xml_safe(note.url) if note.url else None)
        return paragraph

    def _metadata_table(self, document: Document) -> None:
        rows = tuple((item.label, item.value) for item in document.metadata)
        table = self._table(METADATA_HEADER, rows, "metadata")
        for row in table.rows[1:]:
            label = row.cells[0]
            for run in label.paragraphs[0].runs:
                run.bold = True
            ooxml.shade_cell(label, _LABEL_FILL)

    def _table(self, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], kind: str):
        """An accessible table: a marked header row that repeats on each page,
        rows that stay on one page, the full text width, columns fitted to their
        content, and a caption."""
        table = self.word.add_table(rows=1, cols=len(header))
        self._apply_table_style(table)
        ooxml.repeat_header_row(table.rows[0])
        # python-docx recomputes a row's cells on every .cells access: keep them.
        grid = [table.rows[0].cells] + [table.add_row().cells for _ in rows]
        for number, (cells, values) in enumerate(zip(grid, (header, *rows))):
            for cell, text in zip(cells, values):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                run = paragraph.add_run(xml_safe(text))
                run.font.size = Pt(layout.TABLE_SIZE_PT)
                if number == 0:
                    run.bold = True
                    ooxml.shade_cell(cell, _HEADER_FILL)
        for row in table.rows:
            ooxml.keep_row_together(row)
        widths = layout.column_widths(header, rows, self.text_width.cm,
                                      layout.char_width_cm(self.body_font, layout.TABLE_SIZE_PT))
        _set_column_widths(table, grid, [Cm(w) for w in widths])
        caption = _TABLE_CAPTIONS.get(kind) or ", ".join(header)
        ooxml.set_table_layout(table, round(self.text_width.twips), caption)
        self._after_table = True
        return table

    def _apply_table_style(self, table) -> None:
        style = self._style("Table Grid", WD_STYLE_TYPE.TABLE, required=False)
        if style is not None:
            table._tbl.tblPr.style = style.style_id  # by id: table.style = … rescans every style

    def _table_of_contents(self, document: Document, bookmarks: dict[int, str]) -> None:
        self._styled_paragraph("TOC Heading", "Innehåll")
        entries, paragraphs = [], []
        for index, bookmark in bookmarks.items():
            heading = document.blocks[index]
            paragraphs.append(self._styled_paragraph(f"TOC {heading.level}"))
            entries.append((xml_safe(heading.text), bookmark))
        ooxml.add_toc_field(paragraphs, entries, f"1-{_TOC_LEVELS}")
        ooxml.request_field_update(self.word)

    @staticmethod
    def _bookmarks(document: Document) -> dict[int, str]:
        headings = [index for index, block in enumerate(document.blocks)
                    if isinstance(block, Heading) and 1 <= block.level <= _TOC_LEVELS]
        # "_Toc…" bookmarks are hidden in Word's bookmark list, as Word's own are.
        return {index: f"_Toc{number:04d}" for number, index in enumerate(headings, start=1)}

    # -- styles ----------------------------------------------------------------

    def _style(self, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, required: bool = True):
        """A built-in style; a municipality template may only have it as latent.
        Looked up once per name: python-docx scans all styles for each lookup."""
        key = (name, kind)
        if key not in self._style_cache:
            style = self._find_or_add_style(name, kind, required)
            if style is None:
                return None
            self._style_cache[key] = style
        return self._style_cache[key]

    def _find_or_add_style(self, name: str, kind, required: bool):
        styles = self.word.styles
        style_id = name.replace(" ", "")
        # One query by name (Word's lower-case built-in name or as written) or id.
        internal = {"Title": "Title"}.get(name, name.lower())
        found = styles.element.xpath(
            f'w:style[w:name/@w:val="{internal}" or w:name/@w:val="{name}" or @w:styleId="{style_id}"]')
        matching = [element for element in found if element.type == kind] or found
        if matching:
            return StyleFactory(matching[0])
        if not required:
            return None
        style = styles.add_style(name, kind)
        style.style_id = style_id
        style.base_style = styles["Normal"]
        if name == "Title":
            style.font.size, style.font.bold = Pt(24), True
        elif name.startswith("Heading"):
            level = int(name.split()[-1])
            style.font.bold = True
            style.font.size = Pt({1: 16, 2: 13, 3: 12}.get(level, 11))
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.keep_with_next = True
            ooxml.set_outline_level(style, level - 1)
        elif name == "List Bullet":
            style.paragraph_format.left_indent = Cm(0.63)
            ooxml.use_bullet_numbering(self.word, style)
        elif name == "TOC Heading":
            style.font.bold = True
            style.font.size = Pt(14)
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.keep_with_next = True
        elif name.startswith("TOC "):
            # Word's built-in name is lower case ("toc 1"); that is how it finds it.
            style.element.name_val = name.lower()
            level = int(name.split()[-1])
            style.paragraph_format.left_indent = Cm(0.5 * (level - 1))
            style.paragraph_format.space_after = Pt(3)
            style.paragraph_format.tab_stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT,
                                                          WD_TAB_LEADER.DOTS)
        return style

    def _make_colours_readable(self) -> None:
        """Every style we write text in, and the styles it is based on, gets a
        text colour with at least 4.5:1 contrast (WCAG 2.1 AA)."""
        elements, seen = [], set()
        for name in self._used_styles | {"Normal", "Header", "Footer"}:
            style = self._style(name, required=False)
            while style is not None and style.style_id not in seen:
                seen.add(style.style_id)
                elements.append(style.element)
                style = style.base_style
        for style_id in ("Hyperlink", "FootnoteText", "FootnoteReference"):
            if style_id not in seen:
                elements += self.word.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')
        ooxml.ensure_text_contrast(elements)

    @property
    def footnotes(self) -> ooxml.Footnotes:
        if self._footnotes is None:
            self._footnotes = ooxml.Footnotes(self.word)
        return self._footnotes

    # -- page furniture ----------------------------------------------------------

    def _header_footer(self, document: Document) -> None:
        """Header on every page: kommun and document name, then diarienummer and
        version; "UTKAST" first when the document is not ready for a decision.
        A template with its own first page keeps its art there and gets the same
        lines below it."""
        section = self.word.sections[-1]
        headers = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            headers.append((section.first_page_header, section.first_page_footer))
        for header, footer in headers:
            header.is_linked_to_previous = False
            self._write_header(header, document)
            footer.is_linked_to_previous = False
            if not ooxml.has_field(footer._element, "PAGE"):  # else the template numbers its pages
                self._write_footer(footer)

    def _write_header(self, header, document: Document) -> None:
        header_style = self._style("Header")
        self._used_styles.add("Header")
        # A template's header may hold only a table: then our line is a new paragraph.
        first = header.paragraphs[0] if header.paragraphs else None
        paragraph = first if first is not None and ooxml.is_blank(first) else header.add_paragraph()
        ooxml.set_paragraph_style(paragraph, header_style.style_id)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if document.draft:
            paragraph.add_run(f"{DRAFT_MARK} – ").bold = True
        paragraph.add_run(xml_safe(" – ".join(part for part in (document.kommun, document.title) if part)))
        reference = []
        for label, shown in (("Diarienummer", "Dnr"), ("Version", "Version")):
            value = document.metadata_value(label)
            if value:
                reference.append(f"{shown} {value}")
        if reference:
            paragraph = header.add_paragraph(xml_safe(" · ".join(reference)))
            ooxml.set_paragraph_style(paragraph, header_style.style_id)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(12)

    def _write_footer(self, footer) -> None:
        # A template's footer may hold only a table: then our line is a new paragraph.
        first = footer.paragraphs[0] if footer.paragraphs else None
        paragraph = first if first is not None and ooxml.is_blank(first) else footer.add_paragraph()
        ooxml.set_paragraph_style(paragraph, self._style("Footer").style_id)
        self._used_styles.add("Footer")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Sida ")
        ooxml.add_field(paragraph, "PAGE")
        paragraph.add_run(" av ")
        ooxml.add_field(paragraph, "NUMPAGES")
