"""The prepared base of every generated DOCX: python-docx's default document or
a kommun's Word template, made ready once (page setup, the styles the writer
uses, bullet numbering, Swedish as proofing language, readable colours,
footnote separators, header and footer) and kept in the cache.

Why: python-docx costs a `generate` about 0.1 s (importing it, opening its
template, building each element through its object model). The per-document
part (policygen.render.docx.writer) is plain WordprocessingML text put into this base,
so a run whose base is cached never imports python-docx.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.infra.cache import cached_bytes, store_bytes
from policygen.infra.inputs import MAX_FILE_BYTES, check_regular_file
from policygen.ooxml.container import check_docx_container

# The styles the writer puts text in, by Word's built-in names.
PARAGRAPH_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "TOC Heading", "TOC 1",
                    "TOC 2", "Header", "Footer")
TOC_LEVELS = 2
DEFAULT_TEXT_WIDTH_EMU = 16 * 360000   # 16 cm: A4 with 2.5 cm margins

_MANIFEST = "policygen-base.json"
_EMU_PER_CM = 360000


@dataclass(frozen=True)
class PreparedBase:
    parts: dict[str, bytes]                 # every zip member, in package order
    style_ids: dict[str, str]               # Word's style name → the id in styles.xml
    text_width_emu: int
    body_font: str | None                   # None: the theme's body font
    # Per header part: which of its top-level paragraphs takes the document's line.
    header_paragraphs: dict[str, int]
    settings_with_field_update: bytes       # word/settings.xml asking Word to update fields
    footnotes_part: str                     # zip member names of the parts the writer fills
    core_part: str
    document_part: str = "word/document.xml"
    settings_part: str = "word/settings.xml"

    @property
    def text_width_cm(self) -> float:
        return self.text_width_emu / _EMU_PER_CM

    def style_id(self, name: str) -> str | None:
        return self.style_ids.get(name)


def prepared_base(reference_docx: Path | None) -> PreparedBase:
    """The base for `reference_docx` (None: the built-in one), from the cache
    when this template has been prepared before by this version."""

    identity: tuple[Any, ...]
    template: bytes | None = None
    if reference_docx is None:
        identity = ("standard",)
    else:
        template = _read_template(Path(reference_docx))
        identity = ("mall", hashlib.sha256(template).hexdigest())
    if identity in _IN_MEMORY:  # a web server or a batch renders many documents on one base
        return _IN_MEMORY[identity]
    stored = cached_bytes("docx-base", *identity)
    base = _from_package(stored) if stored is not None else None
    if base is None:
        package = _prepare(reference_docx, template)
        base = _from_package(package)
        if base is None:  # our own package always reads back; this is a bug, not user input
            raise RuntimeError("den förberedda Word-basen gick inte att läsa")
        store_bytes(package, "docx-base", *identity)
    if len(_IN_MEMORY) >= 8:
        _IN_MEMORY.clear()
    _IN_MEMORY[identity] = base
    return base


_IN_MEMORY: dict[tuple[Any, ...], PreparedBase] = {}


def _read_template(path: Path) -> bytes:
    # The same limits as a draft: a regular file of at most 50 MB.
    check_regular_file(path, "Word-mallen", MAX_FILE_BYTES)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"Word-mallen går inte att läsa ({exc.strerror or exc})", file=path,
                        hint="kontrollera att filen finns och att du får läsa den") from None


def _from_package(package: bytes) -> PreparedBase | None:
    """A cached base, or None when it is not one (damaged or of another shape):
    then it is prepared again."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        manifest = json.loads(parts.pop(_MANIFEST))
        style_ids = manifest["style_ids"]
        headers = manifest["header_paragraphs"]
        width = manifest["text_width_emu"]
        font = manifest["body_font"]
        settings = manifest["settings_with_field_update"].encode("utf-8")
        digest = manifest["sha256"]
        footnotes_part, core_part = manifest["footnotes_part"], manifest["core_part"]
        document_part, settings_part = manifest["document_part"], manifest["settings_part"]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, OSError):
        return None
    valid = (isinstance(style_ids, dict) and all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in style_ids.items())
             and isinstance(headers, dict) and all(isinstance(k, str) and type(v) is int and k in parts
                                                   for k, v in headers.items())
             and type(width) is int and width > 0 and (font is None or isinstance(font, str))
             and all(name in style_ids for name in PARAGRAPH_STYLES)
             and all(isinstance(name, str) and name in parts
                     for name in (footnotes_part, core_part, document_part, settings_part))
             and digest == _digest(parts))
    if not valid:
        return None
    return PreparedBase(parts, style_ids, width, font, headers, settings, footnotes_part, core_part,
                        document_part, settings_part)


def _digest(parts: dict[str, bytes]) -> str:
    hasher = hashlib.sha256()
    for name in sorted(parts):
        hasher.update(name.encode("utf-8") + b"\0" + hashlib.sha256(parts[name]).digest())
    return hasher.hexdigest()


# -- preparing a base with python-docx (only when it is not cached) ----------------------


def _prepare(reference_docx: Path | None, template: bytes | None) -> bytes:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.oxml import serialize_part_xml

    # Start-up time: python-docx is loaded only when a base must be prepared, never on a cached run.
    from policygen.render.docx import oxml_helpers as ooxml
    from policygen.render.docx.properties import prepare_package_parts

    word = _open_base(reference_docx, template)
    style_ids = {}
    for name in PARAGRAPH_STYLES:
        style = _find_or_add_style(word, name, required=True)
        assert style is not None
        style_ids[name] = style.style_id
    table_style = _find_or_add_style(word, "Table Grid", required=False, table=True)
    if table_style is not None:
        style_ids["Table Grid"] = table_style.style_id
    ooxml.set_document_language(word, "sv-SE")
    footnotes = ooxml.prepare_footnotes_part(word)
    headers = _prepare_header_footer(word, style_ids)
    _make_colours_readable(word, style_ids)
    prepare_package_parts(word)
    width = _text_width_emu(word)
    body_font = word.styles["Normal"].font.name
    _ = word.settings  # python-docx makes the settings part here when a template has none
    buffer = io.BytesIO()
    word.save(buffer)
    ooxml.request_field_update(word)
    settings_with_update = serialize_part_xml(word.settings.element).decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    header_paragraphs = {_part_name(word, header): index for header, index in headers}
    manifest = {"style_ids": style_ids, "text_width_emu": width, "body_font": body_font,
                "header_paragraphs": header_paragraphs, "settings_with_field_update": settings_with_update,
                "footnotes_part": str(footnotes.partname).lstrip("/"),
                "core_part": _related_part(word.part.package, RT.CORE_PROPERTIES, "docProps/core.xml"),
                "document_part": str(word.part.partname).lstrip("/"),
                "settings_part": _related_part(word.part, RT.SETTINGS, "word/settings.xml"),
                "sha256": _digest(parts)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        archive.writestr(_MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return out.getvalue()


def _related_part(source: Any, reltype: str, default: str) -> str:
    """The zip member name of the part `source` relates to with `reltype`
    (a template may name its parts as it likes)."""
    for rel in source.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return str(rel.target_part.partname).lstrip("/")
    return default


def _part_name(word: Any, header: Any) -> str:
    return str(header.part.partname).lstrip("/")


def _open_base(reference_docx: Path | None, template: bytes | None) -> Any:
    import docx
    from docx.shared import Cm, Pt

    # Start-up time: python-docx is loaded only when a base must be prepared, never on a cached run.
    from policygen.render.docx import oxml_helpers as ooxml

    if reference_docx is None or template is None:
        word = docx.Document()
        section = word.sections[0]
        _a4_page(section)
        section.header_distance = section.footer_distance = Cm(1.25)
        normal = word.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        return word
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    # Start-up time: python-docx is loaded only when a base must be prepared, never on a cached run.
    from policygen.render.docx.template_safety import clean_template

    # Every part unpacked and counted first: python-docx reads them all, with
    # no limit of its own.
    check_docx_container(reference_docx, "Word-mallen", verify_all=True)
    try:
        # Styles, page setup, header art and numbering only: no macros, no
        # attached template, no external links (templates are data, not code).
        word = docx.Document(io.BytesIO(clean_template(template, reference_docx)))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise UserError(f"Word-mallen går inte att öppna ({exc})", file=reference_docx,
                        hint="öppna mallen i Word och spara den igen som .docx") from None
    ooxml.clear_body(word)
    _complete_template(word)
    return word


def _a4_page(section: Any) -> None:
    from docx.shared import Cm

    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)


def _text_width_emu(word: Any) -> int:
    """The width between the margins of the last section."""
    section = word.sections[-1]
    try:
        width = int(section.page_width - section.left_margin - section.right_margin)
    except TypeError:  # a template section without page size or margins
        return DEFAULT_TEXT_WIDTH_EMU
    return width if width > 0 else DEFAULT_TEXT_WIDTH_EMU


def _complete_template(word: Any) -> None:
    """What a real municipal template may lack and the writer needs: a section
    (an empty body has none) and a Normal style."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn

    if word.element.body.sectPr is None:
        word.element.body.get_or_add_sectPr()
        _a4_page(word.sections[0])
    if "Normal" not in [style.name for style in word.styles]:
        normal = word.styles.add_style("Normal", WD_STYLE_TYPE.PARAGRAPH)
        normal.element.set(qn("w:default"), "1")


def _find_or_add_style(word: Any, name: str, required: bool, table: bool = False) -> Any:
    """A built-in style; a municipality template may only have it as latent."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Emu, Pt
    from docx.styles.style import StyleFactory

    # Start-up time: python-docx is loaded only when a base must be prepared, never on a cached run.
    from policygen.render.docx import oxml_helpers as ooxml

    kind = WD_STYLE_TYPE.TABLE if table else WD_STYLE_TYPE.PARAGRAPH
    styles = word.styles
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
        ooxml.use_bullet_numbering(word, style)
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
        style.paragraph_format.tab_stops.add_tab_stop(Emu(_text_width_emu(word)), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
    return style


def _prepare_header_footer(word: Any, style_ids: dict[str, str]) -> list[tuple[Any, int]]:
    """Headers ready for the document's line (which paragraph takes it) and
    footers with "Sida X av Y". A template with its own first page keeps its
    art there and gets the same lines below it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    # Start-up time: python-docx is loaded only when a base must be prepared, never on a cached run.
    from policygen.render.docx import oxml_helpers as ooxml

    section = word.sections[-1]
    pairs = [(section.header, section.footer)]
    if section.different_first_page_header_footer:
        pairs.append((section.first_page_header, section.first_page_footer))
    headers = []
    for header, footer in pairs:
        header.is_linked_to_previous = False
        # A template's header may hold only a table: then our line is a new paragraph.
        paragraphs = header.paragraphs
        first = paragraphs[0] if paragraphs else None
        paragraph = first if first is not None and ooxml.is_blank(first) else header.add_paragraph()
        ooxml.set_paragraph_style(paragraph, style_ids["Header"])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        top_level = [child for child in header._element if child.tag == paragraph._p.tag]
        headers.append((header, top_level.index(paragraph._p)))
        footer.is_linked_to_previous = False
        if not ooxml.has_field(footer._element, "PAGE"):  # else the template numbers its pages
            _write_footer(footer, style_ids["Footer"])
    return headers


def _write_footer(footer: Any, style_id: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    # Start-up time: python-docx is loaded only when a base must be prepared, never on a cached run.
    from policygen.render.docx import oxml_helpers as ooxml

    # A template's footer may hold only a table: then our line is a new paragraph.
    first = footer.paragraphs[0] if footer.paragraphs else None
    paragraph = first if first is not None and ooxml.is_blank(first) else footer.add_paragraph()
    ooxml.set_paragraph_style(paragraph, style_id)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Sida ")
    ooxml.add_field(paragraph, "PAGE")
    paragraph.add_run(" av ")
    ooxml.add_field(paragraph, "NUMPAGES")


def _make_colours_readable(word: Any, style_ids: dict[str, str]) -> None:
    """Every style the writer puts text in, and the styles it is based on, gets
    a text colour with at least 4.5:1 contrast (WCAG 2.1 AA)."""
    # Start-up time: python-docx is loaded only when a base must be prepared, never on a cached run.
    from policygen.render.docx import oxml_helpers as ooxml

    elements: list[Any] = []
    seen: set[str] = set()
    normal = _find_or_add_style(word, "Normal", required=False)
    for style_id in [*style_ids.values(), *([normal.style_id] if normal is not None else [])]:
        for element in word.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')[:1]:
            while element is not None and element.styleId not in seen:
                seen.add(element.styleId)
                elements.append(element)
                based_on = element.basedOn_val
                element = (word.styles.element.xpath(f'w:style[@w:styleId="{based_on}"]') or [None])[0] \
                    if based_on else None
    for style_id in ("Hyperlink", "FootnoteText", "FootnoteReference"):
        if style_id not in seen:
            elements += word.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')
    ooxml.ensure_text_contrast(elements)

