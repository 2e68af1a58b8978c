"""Raw OOXML where python-docx stops: footnotes, fields, table headers, shading,
language. The rest of policygen never touches XML; it calls these functions."""

from __future__ import annotations

import io
import re
import zipfile

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
from lxml import etree

_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def prepare_footnotes_part(document: DocxDocument) -> XmlPart:
    """The document's footnotes part with its separators and footnote styles,
    made when there is none. A template's own notes belong to its removed
    sample text: only the separators stay, and the notes' relationships go
    with them. The writer adds the document's notes (wordml.footnote)."""
    part = _find_or_create_footnotes_part(document)
    for note in part.element.findall(qn("w:footnote")):
        if note.get(qn("w:type")) not in ("separator", "continuationSeparator", "continuationNotice"):
            part.element.remove(note)
    for rel_id in list(part.rels):
        del part.rels[rel_id]
    ensure_footnote_styles(document)
    return part


def _find_or_create_footnotes_part(document: DocxDocument) -> XmlPart:
    document_part = document.part
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
    _declare_footnote_separators(document)
    return part


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


def _text_run(text: str):
    run = OxmlElement("w:r")
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
    return [anchor for link in root.iter(qn("w:hyperlink")) if (anchor := link.get(qn("w:anchor")))]


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
        if run is None:
            continue
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
