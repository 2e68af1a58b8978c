"""Document model → DOCX with Word's built-in styles, real footnotes, a
metadata block, header, "Sida X av Y" footer and core properties."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Cm, Pt

from policygen.errors import UserError
from policygen.model import BulletList, Document, Heading, Paragraph, Table, Text
from policygen.render import ooxml

# Characters XML 1.0 forbids; a profile could carry them from a copy-paste.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_HEADER_FILL = "D9E2F3"


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def render_docx(document: Document, reference_docx: Path | None = None) -> bytes:
    """The finished DOCX as bytes (the caller writes it atomically)."""
    word = _open_base(reference_docx)
    writer = _DocxWriter(word, templated=reference_docx is not None)
    writer.write(document)
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
        normal = word.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        return word
    path = Path(reference_docx)
    if not path.is_file():
        raise UserError("Word-mallen finns inte", file=path, hint="ange sökvägen till en .docx-fil med --reference-docx")
    if not zipfile.is_zipfile(path):
        raise UserError("Word-mallen är inte en giltig .docx-fil", file=path,
                        hint="spara mallen i Word som 'Word-dokument (*.docx)'")
    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UserError(f"Word-mallen går inte att öppna ({exc})", file=path,
                        hint="öppna mallen i Word och spara den igen som .docx") from None
    ooxml.clear_body(word)
    return word


def _set_column_widths(table, widths) -> None:
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


class _DocxWriter:
    def __init__(self, word, templated: bool) -> None:
        self.word = word
        self.templated = templated
        self._footnotes: ooxml.Footnotes | None = None
        self._style_ids: dict[str, str] = {}

    def write(self, document: Document) -> None:
        ooxml.set_document_language(self.word, "sv-SE")
        self._core_properties(document)
        self._header_footer(document)
        for block in document.blocks:
            if isinstance(block, Heading) and block.level == 0:
                self._styled_paragraph("Title", xml_safe(block.text))
                if document.metadata:
                    self._metadata_table(document)
            elif isinstance(block, Heading):
                self._styled_paragraph(f"Heading {block.level}", xml_safe(block.text))
            elif isinstance(block, Paragraph):
                self._paragraph(block, document)
            elif isinstance(block, BulletList):
                if block.intro is not None:
                    self._paragraph(block.intro, document)
                for item in block.items:
                    self._paragraph(item, document, style="List Bullet")
            elif isinstance(block, Table):
                self._table(block)

    # -- blocks ----------------------------------------------------------------

    def _styled_paragraph(self, style_name: str | None, text: str = ""):
        # python-docx resolves a style object by scanning every style on each
        # call; resolving each name once keeps rendering fast.
        paragraph = self.word.add_paragraph(text)
        if style_name is not None:
            if style_name not in self._style_ids:
                self._style_ids[style_name] = self._style(style_name).style_id
            ooxml.set_paragraph_style(paragraph, self._style_ids[style_name])
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
        table = self.word.add_table(rows=0, cols=2)
        self._apply_table_style(table)
        for item in document.metadata:
            cells = table.add_row().cells
            label = cells[0].paragraphs[0].add_run(xml_safe(item.label))
            label.bold = True
            cells[1].paragraphs[0].add_run(xml_safe(item.value))
            ooxml.shade_cell(cells[0], "F2F2F2")
        _set_column_widths(table, [Cm(5), Cm(11)])
        self.word.add_paragraph()

    def _table(self, block: Table) -> None:
        table = self.word.add_table(rows=1, cols=len(block.header))
        self._apply_table_style(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        ooxml.repeat_header_row(header)
        for cell, text in zip(header.cells, block.header):
            run = cell.paragraphs[0].add_run(xml_safe(text))
            run.bold = True
            ooxml.shade_cell(cell, _HEADER_FILL)
        for values in block.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values):
                cell.paragraphs[0].add_run(xml_safe(text))
        if block.kind == "activities":
            _set_column_widths(table, [Cm(6), Cm(3.5), Cm(3), Cm(3.5)])
        self.word.add_paragraph()

    def _apply_table_style(self, table) -> None:
        style = self._style("Table Grid", WD_STYLE_TYPE.TABLE, required=False)
        if style is not None:
            table.style = style

    # -- styles ----------------------------------------------------------------

    def _style(self, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, required: bool = True):
        """A built-in style; a municipality template may only have it as latent."""
        styles = self.word.styles
        try:
            return styles[name]
        except KeyError:
            if not required:
                return None
        style = styles.add_style(name, kind)
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
        return style

    @property
    def footnotes(self) -> ooxml.Footnotes:
        if self._footnotes is None:
            self._footnotes = ooxml.Footnotes(self.word)
        return self._footnotes

    # -- page furniture ----------------------------------------------------------

    def _header_footer(self, document: Document) -> None:
        section = self.word.sections[-1]
        header = section.header
        header.is_linked_to_previous = False
        label = " – ".join(part for part in (document.kommun, document.title) if part)
        paragraph = header.paragraphs[0] if not header.paragraphs[0].text.strip() else header.add_paragraph()
        paragraph.style = self._style("Header")
        paragraph.add_run(xml_safe(label))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

        footer = section.footer
        footer.is_linked_to_previous = False
        if ooxml.has_field(footer._element, "PAGE"):
            return  # the template numbers its pages already
        paragraph = footer.paragraphs[0] if not footer.paragraphs[0].text.strip() else footer.add_paragraph()
        paragraph.style = self._style("Footer")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Sida ")
        ooxml.add_field(paragraph, "PAGE")
        paragraph.add_run(" av ")
        ooxml.add_field(paragraph, "NUMPAGES")

    def _core_properties(self, document: Document) -> None:
        properties = self.word.core_properties
        properties.title = xml_safe(document.title)
        properties.subject = xml_safe(document.subject or "")
        properties.author = xml_safe(document.author or document.kommun or "")
        properties.keywords = xml_safe("; ".join(document.keywords))
        properties.language = "sv-SE"
        properties.category = xml_safe(document.doc_type or "")
        properties.comments = "Skapad med policygen"
        properties.last_modified_by = "policygen"
