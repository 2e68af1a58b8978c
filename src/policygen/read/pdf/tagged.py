"""Tagged PDF (PDF/UA, as Word and LibreOffice export it): the structure tree
says what is a heading, a paragraph, a list item, a table cell or a footnote,
and headers and footers are artifacts outside it. Reading the tree gives the
same document as the DOCX it was exported from; the layout heuristics in
pdf_reader.py remain for untagged PDFs."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.kommuner import kommun_mentions
from policygen.model import Document, DocumentBuilder, Footnote
from policygen.read.structure import add_table, is_toc_entry

_CONTAINERS = {"Document", "Part", "Sect", "Div", "Art", "BlockQuote", "NonStruct", "Private", "Index"}
_SKIPPED = {"TOC", "TOCI", "Artifact", "Figure", "Formula", "Caption", "Lbl"}
_HEADING = re.compile(r"^H(\d)?$")


@dataclass
class _Block:
    kind: str                                  # heading | paragraph | list | table | note
    text: str = ""
    level: int = 1
    page: int | None = None
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    header: bool = False


def read_tagged_pdf(path: Path) -> Document | None:
    """The document from the PDF's structure tree, or None when the PDF is not tagged."""
    from pypdf import PdfReader

    tree = structure_tree(path)
    if not tree:
        return None
    reader = PdfReader(str(path))
    texts: dict[tuple[int, int], str] = {}
    artifacts: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        texts.update(_marked_texts(page, number, artifacts))
    metadata: Any = reader.metadata or {}
    title = str(metadata.get("/Title") or "").strip()
    blocks: list[_Block] = []
    for node in tree:
        _walk(node, texts, blocks)
    if not any(b.text or b.items or b.rows for b in blocks):
        return None
    document = _build(blocks, title, str(path))
    # The running header is an artifact outside the tree, but it names the kommun as in the DOCX.
    document.kommun = next((mentions[0].kommun.officiellt_namn for text in artifacts
                            if (mentions := kommun_mentions(text))), None)
    return document


def structure_tree(path: Path) -> list[dict]:
    """The structure tree as nested dicts {type, page_number, mcids, children}.

    Read with pypdf: it follows every kind of kid reference (numbers, marked-content
    references, object references) that exporters write, and roles are mapped
    through the RoleMap to the standard ones."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    root: Any = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return []
    tree: Any = root["/StructTreeRoot"].get_object()
    role_map = {str(k): str(v) for k, v in (tree.get("/RoleMap") or {}).items()}
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)
             if page.indirect_reference is not None}
    seen: set[int] = set()

    def page_of(node, inherited: int | None) -> int | None:
        reference = node.get("/Pg") if hasattr(node, "get") else None
        if reference is not None and hasattr(reference, "idnum"):
            return pages.get(reference.idnum, inherited)
        return inherited

    def convert(node, inherited: int | None) -> dict | None:
        if hasattr(node, "idnum"):
            if node.idnum in seen:
                return None  # a loop in a broken tree
            seen.add(node.idnum)
        node = node.get_object()
        if not hasattr(node, "get"):
            return None
        role = str(node.get("/S", ""))
        page = page_of(node, inherited)
        out: dict = {"type": role_map.get(role, role).lstrip("/"), "page_number": page, "mcids": [], "children": []}
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else ([] if kids is None else [kids]):
            if isinstance(kid, int):
                out["mcids"].append(kid)
                continue
            resolved = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(resolved, "get") and str(resolved.get("/Type", "")) == "/MCR":
                mcr_page = page_of(resolved, page)
                if mcr_page == page:
                    out["mcids"].append(int(resolved["/MCID"]))
                else:
                    out["children"].append({"type": "Span", "page_number": mcr_page,
                                            "mcids": [int(resolved["/MCID"])], "children": []})
            elif hasattr(resolved, "get") and "/S" in resolved:
                child = convert(kid, page)
                if child is not None:
                    out["children"].append(child)
        return out

    kids = tree.get("/K")
    converted = [convert(kid, None) for kid in (kids if isinstance(kids, list) else [kids] if kids else [])]
    return [node for node in converted if node is not None]


def _marked_texts(page, number: int, artifacts: list[str] | None = None) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence on a page, keyed (page, mcid);
    the text of the page's artifacts (running header and footer) is added to
    `artifacts` when it is given.

    A footnote mark is set smaller than the text around it; a lone digit in a
    small size is left out so "strategi.1" reads "strategi."."""
    stack: list[int | None] = []
    in_artifact: list[bool] = []
    runs: dict[int, list[tuple[str, float]]] = {}
    furniture: list[str] = []

    def before(operator, operands, cm, tm) -> None:
        if operator in (b"BDC", b"BMC"):
            in_artifact.append(bool(operands) and str(operands[0]) == "/Artifact")
        if operator == b"BDC":
            properties: Any = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if hasattr(properties, "get") else None
            stack.append(int(mcid) if isinstance(mcid, int) else None)
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()
            if in_artifact:
                in_artifact.pop()

    def shown(text, cm, tm, font, size) -> None:
        if any(in_artifact):
            furniture.append(text)
            return
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and text:
            scale = abs(tm[3]) if tm and tm[3] else 1.0
            runs.setdefault(mcid, []).append((text, size * scale))

    page.extract_text(visitor_operand_before=before, visitor_text=shown)
    sizes = [size for pieces in runs.values() for text, size in pieces if text.strip()]
    body_size = statistics.median(sizes) if sizes else 0.0
    out = {}
    for mcid, pieces in runs.items():
        kept = [text for text, size in pieces
                if not (text.strip().isdigit() and len(text.strip()) <= 2 and body_size and size < 0.8 * body_size)]
        joined = "".join(kept).replace("\u00ad", "")
        joined = "".join(ch for ch in joined if not ("\ue000" <= ch <= "\uf8ff"))   # symbol-font bullets
        out[(number, mcid)] = " ".join(joined.split())
    if artifacts is not None:
        artifacts.append(" ".join("".join(furniture).split()))
    return out


def _text(node, texts: dict[tuple[int, int], str]) -> str:
    """All text under a node, in content order, leaving out footnotes and list labels."""
    pieces: list[tuple[int, int, str]] = []

    def visit(item) -> None:
        if item.get("type") in ("Note", "Lbl", "Artifact"):
            return
        page = item.get("page_number")
        for mcid in item.get("mcids") or []:
            if page is not None and (page, mcid) in texts:
                pieces.append((page, mcid, texts[(page, mcid)]))
        for child in item.get("children") or []:
            visit(child)

    visit(node)
    pieces.sort()
    return " ".join(" ".join(text for _, _, text in pieces).split())


def _walk(node, texts, blocks: list[_Block]) -> None:
    role = node.get("type") or ""
    page = node.get("page_number")
    if role in _SKIPPED:
        return
    if role in _CONTAINERS:
        for child in node.get("children") or []:
            _walk(child, texts, blocks)
        return
    if heading := _HEADING.match(role):
        blocks.append(_Block("heading", _text(node, texts), int(heading.group(1) or 1), page))
    elif role == "Title":
        blocks.append(_Block("heading", _text(node, texts), 0, page))
    elif role == "L":
        items = []
        for item in node.get("children") or []:
            if item.get("type") == "L":
                _walk(item, texts, blocks)   # a nested list stands on its own
            elif text := _text(item, texts):
                items.append(text)
        if items:
            blocks.append(_Block("list", page=page, items=items))
    elif role == "Table":
        rows: list[list[str]] = []
        header = False
        for row in _rows(node):
            cells = [_text(cell, texts) for cell in row.get("children") or [] if cell.get("type") in ("TH", "TD")]
            if not rows:
                header = all(cell.get("type") == "TH" for cell in row.get("children") or [])
            if any(cells):
                rows.append(cells)
        if rows:
            blocks.append(_Block("table", page=page, rows=rows, header=header))
    elif role == "Note":
        blocks.append(_Block("note", _text({**node, "type": "P"}, texts), page=page))
    else:
        text = _text(node, texts)
        if text:
            blocks.append(_Block("paragraph", text, page=page))
        for child in node.get("children") or []:
            if child.get("type") == "Note":
                _walk(child, texts, blocks)


def _rows(table) -> list:
    rows = []
    for child in table.get("children") or []:
        if child.get("type") == "TR":
            rows.append(child)
        elif child.get("type") in ("THead", "TBody", "TFoot"):
            rows += [r for r in child.get("children") or [] if r.get("type") == "TR"]
    return rows


def _build(blocks: list[_Block], title: str, source: str) -> Document:
    builder = DocumentBuilder(title, source=source)
    notes = 0
    pending_intro: str | None = None
    for index, block in enumerate(blocks):
        builder.page = block.page
        if pending_intro is not None and block.kind != "list":
            builder.paragraph(pending_intro)
            pending_intro = None
        if block.kind == "note":
            notes += 1
            text = re.sub(r"^\d+\s*", "", block.text)
            builder.document.footnotes[str(notes)] = Footnote(str(notes), text)
        elif block.kind == "heading":
            first = not builder.document.blocks
            is_title = block.level == 0 or (first and block.text == title)
            builder.heading(block.text, 0 if is_title else block.level)
        elif block.kind == "paragraph":
            if is_toc_entry(block.text):
                continue
            if not builder.document.blocks and (block.text == title or not title):
                builder.document.title = builder.document.title or block.text
                builder.heading(block.text, 0)   # the title style is tagged P by some exporters
            elif block.text.endswith(":") and index + 1 < len(blocks) and blocks[index + 1].kind == "list":
                pending_intro = block.text
            else:
                builder.paragraph(block.text)
        elif block.kind == "list":
            builder.bullet_list(block.items, intro=pending_intro)
            pending_intro = None
        elif block.kind == "table":
            add_table(builder, block.rows)
    if pending_intro is not None:
        builder.paragraph(pending_intro)
    return builder.document
