"""An untagged PDF read from its page layout: ruled tables found by their
lines, headings by their font (larger or bold, short), the rest as text lines
for the text reader. Used when a PDF has no structure tree."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

TABLE_MARK = "\x00tabell {}\x00"    # stands in a page's text where a table was
# Headers and footers sit in the page margin: the top and bottom 5 % of an A4 page
# are above and below any body text with ordinary margins (2–2.5 cm); a line
# within 12 % of the edge is a header or footer when other pages repeat it.
_MARGIN = 0.05
_EDGE = 0.12


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _running(line: dict, height: float, repeated: set[str]) -> bool:
    if line["top"] < height * _MARGIN or line["bottom"] > height * (1 - _MARGIN):
        return True
    near_edge = line["top"] < height * _EDGE or line["bottom"] > height * (1 - _EDGE)
    return near_edge and _key(line["text"]) in repeated


@dataclass
class LayoutPage:
    text: str                                        # lines, with TABLE_MARK where tables stand
    tables: list[list[list[str]]] = field(default_factory=list)


@dataclass
class Layout:
    pages: list[LayoutPage]
    headings: frozenset[str] | None                  # lines set in a heading font; None: fonts tell nothing


def read_layout(path: Path) -> Layout:
    import pdfplumber

    pages: list[LayoutPage] = []
    sizes: list[float] = []
    lines_by_page = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            found = page.find_tables()
            tables = [[[(" ".join((cell or "").split())) for cell in row] for row in table.extract()]
                      for table in found]
            rest = page
            for table in found:
                rest = rest.outside_bbox(table.bbox)
            lines = rest.extract_text_lines(return_chars=True)
            lines_by_page.append((lines, [(t.bbox[1], i) for i, t in enumerate(found)], tables, page.height))
            sizes += [c["size"] for line in lines for c in line["chars"] if c["text"].strip()]
    # Headers and footers: lines near the page edge that come back on other pages
    # (page numbers vary, so digits are ignored when lines are compared).
    edge_pages: dict[str, set[int]] = {}
    for number, (lines, _, _, height) in enumerate(lines_by_page):
        for line in lines:
            if line["top"] < height * _EDGE or line["bottom"] > height * (1 - _EDGE):
                edge_pages.setdefault(_key(line["text"]), set()).add(number)
    repeated = {key for key, numbers in edge_pages.items() if len(numbers) >= 2}
    body = statistics.median(sizes) if sizes else 0.0
    headings: set[str] = set()
    # A PDF set in one font and size throughout says nothing about headings by its
    # fonts; the text reader's guesses from the lines themselves are all there is.
    fonts_vary = bool(sizes) and (max(sizes) > body * 1.1 or any(
        "bold" in (c.get("fontname") or "").lower() for lines, *_ in lines_by_page for line in lines
        for c in line["chars"]))
    for lines, table_tops, tables, height in lines_by_page:
        out: list[tuple[float, str]] = []
        for line in lines:
            text = line["text"].strip()
            if not text or _running(line, height, repeated):
                continue
            out.append((line["top"], text))
            if _heading_font(line["chars"], body) and len(text.split()) <= 12 and not text.endswith((".", ",", ";")):
                headings.add(text)
        out += [(top, TABLE_MARK.format(index)) for top, index in table_tops]
        out.sort(key=lambda item: item[0])
        pages.append(LayoutPage("\n".join(text for _, text in out), tables))
    return Layout(pages, frozenset(headings) if fonts_vary else None)


def _heading_font(chars: list[dict], body: float) -> bool:
    letters = [c for c in chars if c["text"].strip()]
    if not letters or not body:
        return False
    size = statistics.median(c["size"] for c in letters)
    bold = all("bold" in (c.get("fontname") or "").lower() for c in letters)
    return size >= body * 1.15 or bold
