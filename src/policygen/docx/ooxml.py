"""Raw OOXML where python-docx stops: footnotes, fields, table headers, shading,
language. The rest of policygen never touches XML; it calls these functions."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urlsplit

from lxml import etree

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

# Word's link blue: 5.9:1 against white (WCAG AA asks for 4.5:1).
LINK_COLOR = "0563C1"

# Characters XML 1.0 forbids; a profile could carry them from a copy-paste.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def link_site(url: str) -> str:
    """'https://www.riksdagen.se/sv/…' → 'riksdagen.se': where a link leads, in a word."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")

_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


class Footnotes:
    """The document's footnotes part; adds notes and their references."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.part = self._find_or_create_part()
        self.root = self.part.element
        ids = [int(n.get(qn("w:id"))) for n in self.root.findall(qn("w:footnote"))]
        self._next_id = max([0, *ids]) + 1
        ensure_footnote_styles(document)

    def _find_or_create_part(self) -> XmlPart:
        document_part = self.document.part
        for rel in document_part.rels.values():
            if rel.reltype == RT.FOOTNOTES:
                part = rel.target_part
                if not isinstance(part, XmlPart):
                    # A template's footnotes load as a plain Part; re-parse so we can edit it.
                    part = XmlPart(part.partname, part.content_type, parse_xml(part.blob), part.package)
                    rel._target = part
                return part
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_FOOTNOTES_XML),
                       document_part.package)
        document_part.relate_to(part, RT.FOOTNOTES)
        _declare_footnote_separators(self.document)
        return part

    def add(self, paragraph: Paragraph, text: str, url: str | None = None) -> int:
        """Append a footnote with `text` (and a link) and reference it at the end of `paragraph`."""
        note_id = self._next_id
        self._next_id += 1
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(note_id))
        note_paragraph = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        properties.append(_val("w:pStyle", "FootnoteText"))
        note_paragraph.append(properties)
        note_paragraph.append(_styled_run("FootnoteReference", OxmlElement("w:footnoteRef")))
        note_paragraph.append(_text_run(" "))
        if url:
            # The citation itself is the link text, so a screen reader says what the
            # link leads to instead of reading out a long address; the site follows
            # in plain text for print.
            rel_id = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), rel_id)
            link.append(_text_run(text, color=LINK_COLOR, underline=True))
            note_paragraph.append(link)
            site = link_site(url)
            if site:
                note_paragraph.append(_text_run(f" ({site})"))
        else:
            note_paragraph.append(_text_run(text))
        note.append(note_paragraph)
        self.root.append(note)

        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(note_id))
        paragraph._p.append(_styled_run("FootnoteReference", reference))
        return note_id


def _declare_footnote_separators(document: DocxDocument) -> None:
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is not None:
        return
    footnote_pr = OxmlElement("w:footnotePr")
    for note_id in ("-1", "0"):
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), note_id)
        footnote_pr.append(footnote)
    # CT_Settings requires a fixed child order; footnotePr goes before compat-type elements.
    anchor = None
    for tag in ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:themeFontLang",
                "w:clrSchemeMapping", "w:shapeDefaults", "w:decimalSymbol", "w:listSeparator"):
        try:
            anchor = settings.find(qn(tag))
        except KeyError:
            continue
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(footnote_pr)
    else:
        settings.append(footnote_pr)


def ensure_footnote_styles(document: DocxDocument) -> None:
    styles = document.styles
    names = {sid for sid in styles.element.xpath("w:style/@w:styleId")}
    if "FootnoteText" not in names:
        style = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), "FootnoteText")
        style.base_style = styles["Normal"]
        style.font.size = Pt(9)
        style.paragraph_format.space_after = Pt(0)
    if "FootnoteReference" not in names:
        style = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        style.element.set(qn("w:styleId"), "FootnoteReference")
        style.font.superscript = True


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES …) that Word and LibreOffice update on display."""
    for run in _field_runs(instruction, placeholder):
        paragraph._p.append(run)


def repeat_header_row(row) -> None:
    """The table's header row: repeated on every page, and what Word's
    accessibility checker and LibreOffice's PDF export (TH cells) take as header."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_val("w:tblHeader", "true"))


def shade_cell(cell, fill_hex: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill_hex)
    tc_pr.append(shading)


def set_document_language(document: DocxDocument, language: str) -> None:
    """Default proofing language for every style, so Word spell-checks in Swedish."""
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        doc_defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    remove_foreign_bidi_language(document)


def clear_body(document: DocxDocument) -> None:
    """Remove a template's content but keep its final section properties."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def is_blank(paragraph: Paragraph) -> bool:
    """No text and no picture (a template's logo paragraph is not blank)."""
    p = paragraph._p
    return not paragraph.text.strip() and not any(
        True for tag in ("w:drawing", "w:pict", "w:object", "w:fldChar", "w:fldSimple") for _ in p.iter(qn(tag)))


def has_field(element, instruction: str) -> bool:
    texts = [t.text or "" for t in element.iter(qn("w:instrText"))]
    simple = [f.get(qn("w:instr"), "") for f in element.iter(qn("w:fldSimple"))]
    return any(instruction in text for text in texts + simple)


def _val(tag: str, value: str):
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    return element


def _styled_run(style_id: str, child):
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(_val("w:rStyle", style_id))
    run.append(rpr)
    run.append(child)
    return run


def _text_run(text: str, color: str | None = None, underline: bool = False):
    run = OxmlElement("w:r")
    if color or underline:
        rpr = OxmlElement("w:rPr")
        if color:
            rpr.append(_val("w:color", color))
        if underline:
            rpr.append(_val("w:u", "single"))
        run.append(rpr)
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


def set_outline_level(style, level: int) -> None:
    """Outline level makes a heading style show in Word's navigation pane."""
    ppr = style.element.get_or_add_pPr()
    ppr.append(_val("w:outlineLvl", str(level)))


def use_bullet_numbering(document: DocxDocument, style) -> None:
    """Give a newly added list style a bullet definition in the numbering part."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max([0, *abstract_ids]) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(abstract_id)
    ppr = style.element.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    num_pr.append(_val("w:numId", str(num.numId)))
    ppr.insert(0, num_pr)


def set_paragraph_style(paragraph: Paragraph, style_id: str) -> None:
    paragraph._p.style = style_id


# -- tables --------------------------------------------------------------------------

def keep_row_together(row) -> None:
    """The row is not split across a page break."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, _val("w:cantSplit", "true"))


def set_table_layout(table, total_twips: int, caption: str) -> None:
    """Width of the text area, fixed layout (the column widths we computed),
    a header-row look, and a caption that assistive technology reads out."""
    tbl_pr = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblLook", "w:tblCaption", "w:tblInd"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(total_twips))
    width.set(qn("w:type"), "dxa")
    _insert_in_order(tbl_pr, width, _TBL_PR_ORDER)
    look = OxmlElement("w:tblLook")
    for name, value in (("w:val", "04A0"), ("w:firstRow", "1"), ("w:lastRow", "0"), ("w:firstColumn", "1"),
                        ("w:lastColumn", "0"), ("w:noHBand", "0"), ("w:noVBand", "1")):
        look.set(qn(name), value)
    _insert_in_order(tbl_pr, look, _TBL_PR_ORDER)
    _insert_in_order(tbl_pr, _val("w:tblCaption", caption), _TBL_PR_ORDER)


# CT_TblPr's schema order; Word rejects a file whose children are out of order.
_TBL_PR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                 "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                 "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def _insert_in_order(parent, element, order: tuple[str, ...]) -> None:
    position = order.index(element.tag.replace(f"{{{_W}}}", "w:"))
    for child in parent:
        tag = child.tag.replace(f"{{{_W}}}", "w:")
        if tag in order and order.index(tag) > position:
            child.addprevious(element)
            return
    parent.append(element)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# -- paragraphs -----------------------------------------------------------------------

def page_break_before(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.page_break_before = True


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """A bookmark around the paragraph's text (the target of a table-of-contents entry)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def add_toc_field(paragraphs: list[Paragraph], entries: list[tuple[str, str]], levels: str = "1-2") -> None:
    """A TOC field over `paragraphs`, one per entry (text, bookmark). Its shown
    result links to each heading; the page numbers are PAGEREF fields that Word
    fills in when it updates fields on open, and that `set_toc_page_numbers`
    fills in from a laid-out PDF."""
    for index, (paragraph, (text, bookmark)) in enumerate(zip(paragraphs, entries)):
        p = paragraph._p
        if index == 0:
            for run in _field_runs(f'TOC \\o "{levels}" \\h \\z \\u')[:3]:
                p.append(run)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        link.append(_text_run(text))
        tab = OxmlElement("w:r")
        tab.append(OxmlElement("w:tab"))
        link.append(tab)
        for run in _field_runs(f"PAGEREF {bookmark} \\h", ""):
            link.append(run)
        p.append(link)
        if index == len(entries) - 1:
            p.append(_field_runs("")[-1])


def _field_runs(instruction: str, result: str | None = None) -> list:
    """begin, instrText, separate, [result], end — as runs."""
    runs = []
    for kind, content in (("begin", None), ("instr", instruction), ("separate", None),
                          ("text", result), ("end", None)):
        if kind == "text" and content is None:
            continue
        run = OxmlElement("w:r")
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {content} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = content
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run.append(element)
        runs.append(run)
    return runs


def request_field_update(document: DocxDocument) -> None:
    """Ask Word to update fields (the table of contents) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = _val("w:updateFields", "true")
    # CT_Settings has a fixed child order: updateFields comes just before these.
    for tag in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator"):
        try:
            anchor = settings.find(qn(tag))
        except KeyError:  # a namespace prefix python-docx does not know
            continue
        if anchor is not None:
            anchor.addprevious(element)
            return
    settings.append(element)


def toc_bookmarks(docx_bytes: bytes) -> list[str]:
    """The bookmarks the table of contents points to, in order."""
    root = etree.fromstring(_read_part(docx_bytes, "word/document.xml"))
    return [link.get(qn("w:anchor")) for link in root.iter(qn("w:hyperlink")) if link.get(qn("w:anchor"))]


def set_toc_page_numbers(docx_bytes: bytes, pages: dict[str, int]) -> bytes:
    """The DOCX with each PAGEREF result in the table of contents set to the
    page of its bookmark (pages found by laying the document out)."""
    root = etree.fromstring(_read_part(docx_bytes, "word/document.xml"))
    for link in root.iter(qn("w:hyperlink")):
        bookmark = link.get(qn("w:anchor"))
        if bookmark not in pages:
            continue
        separate = next((f for f in link.iter(qn("w:fldChar")) if f.get(qn("w:fldCharType")) == "separate"), None)
        if separate is None:
            continue
        run = separate.getparent()
        for old in [r for r in run.itersiblings() if r.find(qn("w:t")) is not None]:
            link.remove(old)
        run.addnext(_text_run(str(pages[bookmark])))
    return _replace_part(docx_bytes, "word/document.xml",
                         etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _read_part(docx_bytes: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return archive.read(name)


def _replace_part(docx_bytes: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


# -- styles: colour contrast and language ---------------------------------------------

def contrast_ratio(foreground: str, background: str = "FFFFFF") -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours given as hex."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darken_until_readable(hex_colour: str, minimum: float = 4.5) -> str:
    """The same hue, darkened in small steps until it reaches `minimum` against white."""
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    factor = 1.0
    candidate = hex_colour.upper()
    while contrast_ratio(candidate) < minimum and factor > 0:
        factor -= 0.02
        candidate = "".join(f"{max(0, round(c * factor)):02X}" for c in (red, green, blue))
    return candidate


def ensure_text_contrast(style_elements, minimum: float = 4.5) -> None:
    """Darken any text colour in these styles that is too light to read on white.
    A theme colour reference would override the darkened value, so it goes."""
    for element in style_elements:
        for colour in element.iter(qn("w:color")):
            value = colour.get(qn("w:val"), "auto")
            if not re.fullmatch(r"[0-9A-Fa-f]{6}", value) or contrast_ratio(value) >= minimum:
                continue
            colour.set(qn("w:val"), darken_until_readable(value, minimum))
            for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
                colour.attrib.pop(qn(attribute), None)


def remove_foreign_bidi_language(document: DocxDocument) -> None:
    """python-docx's template declares Arabic for right-to-left text; a Swedish
    document should not claim a language it does not contain."""
    for lang in document.styles.element.iter(qn("w:lang")):
        if lang.get(qn("w:bidi")) not in (None, "sv-SE"):
            lang.attrib.pop(qn("w:bidi"))
