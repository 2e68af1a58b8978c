"""Layout decisions made before writing: how wide each table column is, and
whether a document is long enough to need a table of contents.

Both are estimates from character counts for Calibri/Carlito 11 pt on an A4
page; the PDF test checks them against LibreOffice's real layout."""

from __future__ import annotations

import math
import re

from policygen.model import BulletList, Document, Heading, Paragraph, Table

# A level-1 heading that names a document type starts a part of a combined
# document (Markaryd style: "Policy för …" and "Riktlinjer för …"); each part
# starts on a new page when a document has two or more of them.
_PART_HEADING = re.compile(r"^(policy|riktlinje|riktlinjer|handlingsplan|verksamhetsplan)\b", re.IGNORECASE)

# Width of a Calibri/Carlito 11 pt character in a long Swedish word
# ("Kommunledningsförvaltningen" is 4.6 cm, 0.17 cm a character), with a little
# to spare for bold header text.
CHAR_WIDTH_CM = 0.185
BODY_SIZE_PT = 11.0
TABLE_SIZE_PT = 10.0  # table text, one point below body text, as kommuner's templates do

# How much wider than Calibri a template's body font runs (average lower-case
# width). Fonts that a computer may lack are rated by their usual stand-in
# (LibreOffice shows Georgia as DejaVu Serif on Linux); a font not listed is
# assumed to be wide, so its words still fit.
FONT_WIDTH = {
    "calibri": 1.0, "carlito": 1.0, "times new roman": 1.0, "liberation serif": 1.0, "tinos": 1.0,
    "garamond": 1.0, "cambria": 1.07, "caladea": 1.07, "segoe ui": 1.1, "arial": 1.15,
    "helvetica": 1.15, "liberation sans": 1.15, "arimo": 1.15, "georgia": 1.4, "verdana": 1.4,
    "dejavu sans": 1.4, "dejavu serif": 1.4,
}
UNKNOWN_FONT_WIDTH = 1.3


def char_width_cm(font: str | None = None, size_pt: float = BODY_SIZE_PT) -> float:
    """Width of one character of `font` at `size_pt`, for fitting text in columns."""
    factor = FONT_WIDTH.get((font or "calibri").strip().lower(), UNKNOWN_FONT_WIDTH)
    return CHAR_WIDTH_CM * factor * size_pt / BODY_SIZE_PT
# Word's default cell margins (0.19 cm each side) plus room for the border.
CELL_PADDING_CM = 0.45
LINE_HEIGHT_CM = 0.53       # 11 pt at Word's 1.15 line spacing
PARAGRAPH_GAP_LINES = 0.5   # 6 pt spacing after a paragraph

# Documents longer than this get a table of contents (issue: "longer than three pages").
TOC_MIN_PAGES = 3.0


def column_widths(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], total_cm: float,
                  char_cm: float = CHAR_WIDTH_CM) -> list[float]:
    """Column widths (cm) summing to `total_cm`, as a browser lays out an
    automatic table: every column at least as wide as its longest word (so no
    word breaks inside, such as "Näringslivsenhe|ten"), the rest shared in
    proportion to how much wider each column would like to be."""
    columns = list(zip(header, *rows))
    def width(characters: int) -> float:
        return characters * char_cm + CELL_PADDING_CM

    minimum = [width(max((len(word) for cell in column for word in cell.split()), default=1))
               for column in columns]
    maximum = [max(width(max((len(cell) for cell in column), default=1)), low)
               for column, low in zip(columns, minimum)]
    if sum(minimum) >= total_cm:
        # Even the longest words do not fit side by side: the column with the
        # longest word gives way, so the short columns ("Tidpunkt") stay whole.
        widths = list(minimum)
        excess = sum(widths) - total_cm
        widest = widths.index(max(widths))
        widths[widest] = max(widths[widest] - excess, total_cm / (2 * len(widths)))
        return [w * total_cm / sum(widths) for w in widths]
    if sum(maximum) <= total_cm:
        return [total_cm * high / sum(maximum) for high in maximum]
    share = (total_cm - sum(minimum)) / (sum(maximum) - sum(minimum))
    return [low + (high - low) * share for low, high in zip(minimum, maximum)]


def part_headings(document: Document) -> set[int]:
    """Indexes (in document.blocks) of the headings that start a new page."""
    parts = {index for index, block in enumerate(document.blocks)
             if isinstance(block, Heading) and block.level == 1 and _PART_HEADING.match(block.text)}
    return parts if len(parts) >= 2 else set()


def estimated_pages(document: Document, text_width_cm: float = 16.0, text_height_cm: float = 24.0,
                    font: str | None = None, with_toc: bool = False) -> float:
    """How many pages the document fills, from its line count."""
    char_cm = char_width_cm(font)
    per_line = max(20, int(text_width_cm / (char_cm * 0.9)))
    page_lines = text_height_cm / LINE_HEIGHT_CM
    new_pages = part_headings(document)

    def lines(text: str, width: int = per_line) -> int:
        return max(1, math.ceil(len(text) / width))

    total = len(document.metadata) * 1.4 + 1
    for index, block in enumerate(document.blocks):
        if index in new_pages:
            total = math.ceil(total / page_lines) * page_lines
        if isinstance(block, Heading):
            total += 4 if block.level == 0 else 2.5
            if block.level == 0 and with_toc:
                total += 3 + 1.3 * sum(1 for h in document.headings() if 1 <= h.level <= 2)
        elif isinstance(block, Paragraph):
            total += lines(block.text) + PARAGRAPH_GAP_LINES
        elif isinstance(block, BulletList):
            if block.intro is not None:
                total += lines(block.intro.text) + PARAGRAPH_GAP_LINES
            total += sum(lines(item.text, per_line - 4) + PARAGRAPH_GAP_LINES for item in block.items)
        elif isinstance(block, Table):
            widths = column_widths(block.header, block.rows, text_width_cm, char_cm)
            for row in (block.header, *block.rows):
                total += max(lines(cell, max(5, int(w / char_cm))) for cell, w in zip(row, widths)) + 0.4
            total += 1
    return total / page_lines


def needs_table_of_contents(document: Document, text_width_cm: float = 16.0, font: str | None = None) -> bool:
    return estimated_pages(document, text_width_cm, font=font) > TOC_MIN_PAGES
