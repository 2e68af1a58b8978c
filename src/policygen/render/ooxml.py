"""Raw OOXML where python-docx stops: footnotes, fields, table headers, shading,
language. The rest of policygen never touches XML; it calls these functions."""

from __future__ import annotations

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
        note_paragraph.append(_text_run(" " + text + (" " if url else "")))
        if url:
            rel_id = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), rel_id)
            link.append(_text_run(url, color="0563C1", underline=True))
            note_paragraph.append(link)
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
    names = {s.style_id for s in styles}
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
    for kind, content in (("begin", None), ("instr", instruction), ("separate", None),
                          ("text", placeholder), ("end", None)):
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
        paragraph._p.append(run)


def repeat_header_row(row) -> None:
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


def clear_body(document: DocxDocument) -> None:
    """Remove a template's content but keep its final section properties."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


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
