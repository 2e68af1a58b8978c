"""DOCX drafts: headings from styles, outline levels or obvious formatting,
lists, tables cell by cell, content controls, footnotes. Guards against
encrypted files and zip bombs first.

The XML is read with lxml directly rather than through python-docx: it is
several times faster on long drafts, sees text inside content controls and
hyperlinks, and lets the parser refuse entities and external resources."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from policygen.errors import UserError
from policygen.kommuner import kommun_mentions
from policygen.model import Document, DocumentBuilder, Footnote
from policygen.ooxml.anchors import W, body_paragraphs
from policygen.ooxml.container import (
    UNPACK_ERRORS,
    UnpackBudget,
    check_docx_container,
    read_member,
)
from policygen.ooxml.visible import Visibility, paragraph_text, run_text, shown_runs
from policygen.ooxml.xml_part import SAFE_PARSER, transitional, xml_error_place
from policygen.read.headings import list_item_text, looks_like_heading
from policygen.read.limits import MAX_TEXT_UNITS
from policygen.read.structure import add_metadata, add_table, is_toc_entry, is_toc_style, metadata_field

_W = W
_HEADING_STYLE = re.compile(r"^(heading|rubrik)\s*(\d)$", re.IGNORECASE)
_OFF = {"0", "false", "off", "none"}


def _number(value: str) -> int | None:
    """A whole number attribute as Word writes it, or None. Any script's
    decimal digits count ("٣" is 3); superscripts ("²") and the like, which
    isdigit() accepts but int() refuses, do not."""
    value = value.strip()
    digits = value[1:] if value.startswith("-") else value
    return int(value) if digits.isdecimal() and len(digits) <= 9 else None


@dataclass(frozen=True)
class _Style:
    name: str
    bold: bool
    outline: int | None         # 0-based outline level, as Word stores it
    numbered: bool


def read_docx(path: Path) -> Document:
    check_docx_container(path)
    with zipfile.ZipFile(path) as archive:
        budget = UnpackBudget(path)
        body = _xml(archive, "word/document.xml", path, budget, count_paragraphs=True).find(f"{_W}body")
        styles_root = _xml(archive, "word/styles.xml", path, budget, required=False)
        styles, visibility = _styles(styles_root), Visibility.from_styles(styles_root)
        notes = _footnotes(_xml(archive, "word/footnotes.xml", path, budget, required=False), visibility)
        core = _xml(archive, "docProps/core.xml", path, budget, required=False)
        app = _xml(archive, "docProps/app.xml", path, budget, required=False)
        headers = [_xml(archive, name, path, budget, required=False) for name in archive.namelist()
                   if re.fullmatch(r"word/header\d*\.xml", name)]
    if body is None:
        raise UserError("Word-dokumentet saknar innehåll (ingen w:body)", file=path,
                        hint="öppna filen i Word och spara den igen som .docx")
    title = ""
    if core is not None:
        node = core.find("{http://purl.org/dc/elements/1.1/}title")
        title = (node.text or "").strip() if node is not None else ""
    reader = _BodyReader(DocumentBuilder(title, source=str(path)), styles, visibility, body)
    reader.read(body)
    document = reader.finish()
    for number, text in notes:
        document.footnotes[number] = Footnote(number, text)
    document.kommun = _kommun_in_headers(headers, visibility)
    document.kommun_in_properties = _kommun_in_properties(core, app)
    if not document.blocks:
        raise UserError("Word-dokumentet innehåller ingen text", file=path, hint="kontrollera att du valt rätt fil")
    if not document.title:
        document.title = next((t for t, _ in document.text_units()), "")
    return document


def _xml(archive: zipfile.ZipFile, name: str, path: Path, budget: UnpackBudget, required: bool = True,
         count_paragraphs: bool = False):
    try:
        data = read_member(archive, name, path, budget)
        if count_paragraphs:
            _check_paragraph_count(data, path)
        budget.spend_elements(name, data)
    except KeyError:
        if required:
            raise UserError(f"Word-dokumentet saknar delen {name}", file=path,
                            hint="öppna filen i Word och spara den igen som .docx") from None
        return None
    except UNPACK_ERRORS:
        raise UserError(f"Word-dokumentet är en skadad .docx (delen {name} går inte att packa upp)", file=path,
                        hint="öppna filen i Word och spara den igen som .docx") from None
    try:
        return etree.fromstring(transitional(data), SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"Word-dokumentet har trasig XML i delen {name} ({xml_error_place(exc)})", file=path,
                        hint="öppna filen i Word och spara den igen som .docx") from None


def _check_paragraph_count(data: bytes, path: Path) -> None:
    """Count paragraphs in the raw XML before a tree is built: 400 000 empty
    paragraphs pack into a few kilobytes but take gigabytes as a tree."""
    paragraphs = data.count(b"<w:p>") + data.count(b"<w:p ")
    if paragraphs > MAX_TEXT_UNITS:
        raise UserError(f"dokumentet är för stort att granska ({paragraphs:,} stycken; gränsen är "
                        f"{MAX_TEXT_UNITS:,})".replace(",", " "), file=path,
                        hint="granska dokumentet i delar, eller kontrollera att det är rätt fil")


def _styles(root) -> dict[str, _Style]:
    if root is None:
        return {}
    raw = {}
    for style in root.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId", "")
        name = style.find(f"{_W}name")
        based = style.find(f"{_W}basedOn")
        bold = style.find(f"{_W}rPr/{_W}b")
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        raw[style_id] = (name.get(f"{_W}val", "") if name is not None else style_id,
                         based.get(f"{_W}val") if based is not None else None,
                         None if bold is None else bold.get(f"{_W}val", "1") not in _OFF,
                         _number(outline.get(f"{_W}val", "")) if outline is not None else None,
                         style.find(f"{_W}pPr/{_W}numPr") is not None or None)

    def inherited(style_id: str, index: int, seen: tuple = ()):
        entry = raw.get(style_id)
        if entry is None or style_id in seen:
            return None
        if entry[index] is not None:
            return entry[index]
        return inherited(entry[1], index, seen + (style_id,)) if entry[1] else None

    return {sid: _Style(entry[0], bool(inherited(sid, 2)), inherited(sid, 3), bool(inherited(sid, 4)))
            for sid, entry in raw.items()}


def _kommun_in_headers(headers, visibility: Visibility) -> str | None:
    """Municipal documents carry the kommun's name in the page header."""

    for root in headers:
        if root is None:
            continue
        for paragraph in root.iter(f"{_W}p"):
            mentions = kommun_mentions(paragraph_text(paragraph, visibility))
            if mentions:
                return mentions[0].kommun.officiellt_namn
    return None


def _kommun_in_properties(core, app) -> str | None:
    """The kommun the file's properties name as its author or organisation."""
    names = []
    if core is not None and (node := core.find("{http://purl.org/dc/elements/1.1/}creator")) is not None:
        names.append(node.text or "")
    if app is not None:
        names += [node.text or "" for node in app.iter() if isinstance(node.tag, str) and node.tag.endswith("}Company")]
    for name in names:
        if mentions := kommun_mentions(name):
            return mentions[0].kommun.officiellt_namn
    return None


def _footnotes(root, visibility: Visibility) -> list[tuple[str, str]]:
    if root is None:
        return []
    notes = []
    for note in root.iter(f"{_W}footnote"):
        number = note.get(f"{_W}id", "0")
        if (_number(number) or 0) <= 0:
            continue  # separators
        text = " ".join(paragraph_text(p, visibility) for p in note.iter(f"{_W}p")).strip()
        if text:
            notes.append((number, " ".join(text.split())))
    return notes




def _metadata_lines(raw: str) -> list[tuple[str, str]] | None:
    """The fields of a paragraph whose every line is a metadata field, else None."""
    lines = [" ".join(line.split()) for line in raw.split("\n") if line.strip()]
    if len(lines) < 2:
        field = metadata_field(lines[0]) if lines else None
        return [field] if field is not None else None
    fields: list[tuple[str, str]] = []
    for line in lines:
        field = metadata_field(line)
        if field is None and fields and not fields[-1][1]:
            fields[-1] = (fields[-1][0], line)   # "Beslutad av:" ⏎ "Kommunfullmäktige"
        elif field is None:
            return None
        else:
            fields.append(field)
    return fields


class _BodyReader:
    def __init__(self, builder: DocumentBuilder, styles: dict[str, _Style], visibility: Visibility, body) -> None:
        self.builder = builder
        self.styles = styles
        self.visibility = visibility
        # Comments are anchored later by this index, counted the same way.
        self.order = {p: i for i, p in enumerate(body_paragraphs(body))}
        self.bullets: list[str] = []
        self.bullet_anchors: list[int | None] = []
        self.first_text = True

    def read(self, container) -> None:
        for element in container:
            tag = element.tag
            if tag == f"{_W}p":
                self.paragraph(element)
            elif tag == f"{_W}tbl":
                self.table(element)
            elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent"):
                self.read(element)  # content controls hold ordinary paragraphs

    def finish(self) -> Document:
        self.flush()
        return self.builder.document

    def flush(self) -> None:
        if self.bullets:
            self.builder.bullet_list(list(self.bullets), anchors=list(self.bullet_anchors))
            self.bullets.clear()
            self.bullet_anchors.clear()

    def paragraph(self, element) -> None:
        raw = paragraph_text(element, self.visibility, line_break="\n")
        text = " ".join(raw.split())
        if not text:
            return
        anchor = self.order.get(element)
        ppr = element.find(f"{_W}pPr")
        style_id = ""
        if ppr is not None and (node := ppr.find(f"{_W}pStyle")) is not None:
            style_id = node.get(f"{_W}val", "")
        style = self.styles.get(style_id, _Style(style_id, False, None, False))
        if is_toc_style(style.name) or is_toc_entry(text):
            return  # a table of contents repeats the headings; it is not content
        level = self._heading_level(element, ppr, text, style)
        builder = self.builder
        if level is not None:
            self.flush()
            if self.first_text and (level == 0 or not builder.document.title):
                builder.document.title = text
                builder.heading(text, 0, anchor)
            else:
                builder.heading(text, max(level, 1), anchor)
        elif self._is_list_item(ppr, style, text):
            self.bullets.append(list_item_text(text) or text)
            self.bullet_anchors.append(anchor)  # None for a paragraph outside the body order
        elif (fields := _metadata_lines(raw)) is not None:
            # "Beslutad av: Kommunfullmäktige" ⏎ "Datum: 2024-03-18" (Shift+Enter between
            # them) is two fields, read as the text and PDF readers read such lines.
            self.flush()
            add_metadata(builder, fields, anchor=anchor)
        else:
            self.flush()
            builder.paragraph(text, anchor)
        self.first_text = False

    def _heading_level(self, element, ppr, text: str, style: _Style) -> int | None:
        name = style.name.strip().lower()
        if name in ("title", "rubrik"):
            return 0
        if match := _HEADING_STYLE.match(name):
            return int(match.group(2))
        outline = style.outline
        if ppr is not None and (node := ppr.find(f"{_W}outlineLvl")) is not None:
            value = node.get(f"{_W}val", "")
            outline = parsed if (parsed := _number(value)) is not None else outline
        if outline is not None and outline < 9:
            return outline + 1
        runs = [r for r in shown_runs(element, self.visibility) if run_text(r).strip()]
        if not runs or not looks_like_heading(text):
            return None
        bold = all(self._run_bold(run, style) for run in runs)
        big = any(self._run_size(run) >= 26 for run in runs)  # half-points: 13 pt
        return 1 if bold or big else None

    def _run_bold(self, run, paragraph_style: _Style) -> bool:
        rpr = run.find(f"{_W}rPr")
        if rpr is not None:
            node = rpr.find(f"{_W}b")
            if node is not None:
                return node.get(f"{_W}val", "1") not in _OFF
            run_style = rpr.find(f"{_W}rStyle")
            if run_style is not None and self.styles.get(run_style.get(f"{_W}val", "")) is not None:
                if self.styles[run_style.get(f"{_W}val", "")].bold:
                    return True
        return paragraph_style.bold

    @staticmethod
    def _run_size(run) -> int:
        node = run.find(f"{_W}rPr/{_W}sz")
        value = node.get(f"{_W}val", "") if node is not None else ""
        return _number(value) or 0

    def _is_list_item(self, ppr, style: _Style, text: str) -> bool:
        if ppr is not None and ppr.find(f"{_W}numPr") is not None:
            return True
        return (style.numbered or style.name.lower().startswith(("list", "liststycke"))
                or list_item_text(text) is not None)

    def table(self, element) -> None:
        self.flush()
        rows = []
        for row in element.iter(f"{_W}tr"):
            if next(row.iterancestors(f"{_W}tbl")) is not element:
                continue  # rows of nested tables are read as text of their cell
            cells = [" ".join(" ".join(paragraph_text(p, self.visibility).split()) for p in cell.iter(f"{_W}p")).strip()
                     for cell in row.iter(f"{_W}tc") if next(cell.iterancestors(f"{_W}tr")) is row]
            if any(cells):
                rows.append(cells)
        if rows:
            first = next(element.iter(f"{_W}p"), None)
            anchor = self.order.get(first) if first is not None else None
            add_table(self.builder, rows, anchor)
        self.first_text = False

