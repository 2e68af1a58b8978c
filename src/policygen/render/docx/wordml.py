"""WordprocessingML as text: the paragraphs, runs, tables, bookmarks, fields
and footnotes of a generated document, written as XML strings.

Why text and not python-docx objects: building each element through
python-docx's object model cost a `generate` more than the rest of the
document; these strings are put into the prepared base
(policygen.render.docx.base) by policygen.docx.writer. No python-docx import here.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

# Word's link blue: 5.9:1 against white (WCAG AA asks for 4.5:1).
LINK_COLOR = "0563C1"

# Characters XML 1.0 forbids; a profile could carry them from a copy-paste.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Word writes a tab and a line break as elements of their own, not as characters.
_RUN_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def xml_escape(text: str) -> str:
    """Text for an XML element or a double-quoted attribute. Ours rather than
    xml.sax.saxutils.escape: that module imports urllib.request and costs
    every `generate` about 20 ms of start-up."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def link_site(url: str) -> str:
    """'https://www.riksdagen.se/sv/…' → 'riksdagen.se': where a link leads, in a word."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _val(tag: str, value: str) -> str:
    return f'<w:{tag} w:val="{xml_escape(value)}"/>'


def text_content(text: str) -> str:
    """A run's content: w:t pieces with w:tab and w:br where the text has them."""
    pieces = []
    for piece in _RUN_BREAKS.split(xml_safe(text)):
        if piece == "\t":
            pieces.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            pieces.append("<w:br/>")
        elif piece:
            pieces.append(f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t>')
    return "".join(pieces)


def run(text: str, bold: bool = False, size_pt: float | None = None, color: str | None = None,
        underline: bool = False) -> str:
    # In CT_RPr's order: b, color, sz, u.
    properties = ("<w:b/>" if bold else "") + (_val("color", color) if color else "") \
        + (_val("sz", str(round(size_pt * 2))) if size_pt else "") + (_val("u", "single") if underline else "")
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{text_content(text)}</w:r>"


def run_tab() -> str:
    return "<w:r><w:tab/></w:r>"


def paragraph_properties(style_id: str | None = None, page_break_before: bool = False,
                         space_before_pt: float | None = None, space_after_pt: float | None = None,
                         align: str | None = None) -> str:
    """w:pPr in the schema's order (pStyle, pageBreakBefore, spacing, jc)."""
    inner = _val("pStyle", style_id) if style_id else ""
    if page_break_before:
        inner += "<w:pageBreakBefore/>"
    if space_before_pt is not None or space_after_pt is not None:
        spacing = ""
        if space_before_pt is not None:
            spacing += f' w:before="{round(space_before_pt * 20)}"'
        if space_after_pt is not None:
            spacing += f' w:after="{round(space_after_pt * 20)}"'
        inner += f"<w:spacing{spacing}/>"
    if align:
        inner += _val("jc", align)
    return f"<w:pPr>{inner}</w:pPr>" if inner else ""


def paragraph(content: str = "", properties: str = "") -> str:
    return f"<w:p>{properties}{content}</w:p>"


def footnote_reference(note_id: int) -> str:
    return f'<w:r><w:rPr>{_val("rStyle", "FootnoteReference")}</w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def footnote(note_id: int, text: str, link_rel_id: str | None = None, url: str | None = None) -> str:
    """A footnote. With a link, the citation itself is the link text, so a
    screen reader says what the link leads to instead of reading out a long
    address; the site follows in plain text for print."""
    content = run(" ")
    if link_rel_id:
        # r is declared here: a template's footnotes part may not declare it.
        content += (f'<w:hyperlink xmlns:r="{R_NS}" r:id="{link_rel_id}">'
                    f"{run(text, color=LINK_COLOR, underline=True)}</w:hyperlink>")
        site = link_site(url or "")
        if site:
            content += run(f" ({site})")
    else:
        content += run(text)
    reference = f'<w:r><w:rPr>{_val("rStyle", "FootnoteReference")}</w:rPr><w:footnoteRef/></w:r>'
    return (f'<w:footnote w:id="{note_id}"><w:p><w:pPr>{_val("pStyle", "FootnoteText")}</w:pPr>'
            f"{reference}{content}</w:p></w:footnote>")


def relationships(targets: list[tuple[str, str]]) -> bytes:
    """A .rels part of external hyperlinks: (id, url) pairs."""
    items = "".join(f'<Relationship Id="{rel_id}" Type="{HYPERLINK_REL}" Target="{xml_escape(url)}" '
                    f'TargetMode="External"/>' for rel_id, url in targets)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{items}</Relationships>").encode()


# -- fields and bookmarks -------------------------------------------------------------

def field_runs(instruction: str, result: str | None = None) -> list[str]:
    """begin, instrText, separate, [result], end — as runs."""
    runs = ['<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r><w:instrText xml:space="preserve"> {xml_escape(instruction)} </w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>']
    if result is not None:
        runs.append(f"<w:r><w:t>{xml_escape(result)}</w:t></w:r>")
    runs.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return runs


def bookmarked(content: str, name: str, bookmark_id: int) -> str:
    """`content` (runs) inside a bookmark: the target of a table-of-contents entry."""
    return (f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{xml_escape(name)}"/>{content}'
            f'<w:bookmarkEnd w:id="{bookmark_id}"/>')


def toc_entries(entries: list[tuple[str, str, str]], levels: str) -> list[str]:
    """The paragraphs of a TOC field, one per (style id, text, bookmark). Each
    shown entry links to its heading; the page numbers are PAGEREF fields that
    Word fills in when it updates fields on open, and that
    ooxml.set_toc_page_numbers fills in from a laid-out PDF."""
    paragraphs = []
    for index, (style_id, text, bookmark) in enumerate(entries):
        content = "".join(field_runs(f'TOC \\o "{levels}" \\h \\z \\u')[:3]) if index == 0 else ""
        page = "".join(field_runs(f"PAGEREF {bookmark} \\h", ""))
        content += (f'<w:hyperlink w:anchor="{xml_escape(bookmark)}" w:history="1">{run(text)}'
                    f"<w:r><w:tab/></w:r>{page}</w:hyperlink>")
        if index == len(entries) - 1:
            content += field_runs("")[-1]
        paragraphs.append(paragraph(content, paragraph_properties(style_id)))
    return paragraphs


# -- tables ----------------------------------------------------------------------------

def table(rows: list[list[str]], column_twips: list[int], total_twips: int, style_id: str | None,
          caption: str, text_size_pt: float, header_fill: str, label_fill: str | None = None) -> str:
    """An accessible table: a marked header row that repeats on each page
    (what Word's accessibility checker and LibreOffice's PDF export take as
    header cells), rows that stay on one page, fixed column widths (Word reads
    the cells, LibreOffice the grid), the full text width and a caption that
    assistive technology reads out. With `label_fill`, the first column of
    the body rows is a bold, shaded label column."""
    properties = (_val("tblStyle", style_id) if style_id else "") \
        + f'<w:tblW w:w="{total_twips}" w:type="dxa"/><w:tblLayout w:type="fixed"/>' \
        + ('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
           'w:noHBand="0" w:noVBand="1"/>') + _val("tblCaption", caption)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in column_twips)
    body = []
    for number, values in enumerate(rows):
        header = number == 0
        row_properties = '<w:cantSplit w:val="true"/>' + ('<w:tblHeader w:val="true"/>' if header else "")
        cells = []
        for column, (text, width) in enumerate(zip(values, column_twips)):
            fill = header_fill if header else (label_fill if column == 0 and label_fill else None)
            shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            bold = header or fill is not None
            content = run(text, bold=bold, size_pt=text_size_pt) if text else ""
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
                         f"{paragraph(content, paragraph_properties(space_after_pt=0))}</w:tc>")
        body.append(f"<w:tr><w:trPr>{row_properties}</w:trPr>{''.join(cells)}</w:tr>")
    return f"<w:tbl><w:tblPr>{properties}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
