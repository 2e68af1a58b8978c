"""Heading guesses for text without styles (plain text, PDF, unstyled DOCX)."""

from __future__ import annotations

import re

# Bullets as text extraction gives them: "•", dashes, and the private-use glyphs
# that Word's Symbol and Wingdings bullets become in a PDF (U+F0B7, U+F0A7 …).
_LIST_MARK = re.compile(r"^\s*(?:[•▪●◦\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06c\uf0a8]\s*|(?:[\-–*·]|\d+[.)]|[IVX]+\.)\s+)(?=\S)")
# A line that ends on one of these words leads into what follows; it is no heading.
_LEAD_IN_ENDINGS = {"ska", "kan", "bör", "vill", "får", "måste", "är", "genom", "att", "som", "och", "med", "för",
                    "till", "av", "i", "om", "på", "eller", "samt"}


def looks_like_heading(line: str) -> bool:
    """A short title-like line: capital first letter, few words, no final stop."""
    text = line.strip()
    if not text or len(text) > 70 or _LIST_MARK.match(text):
        return False
    if text[-1] in ".,;:!?" or not text[0].isupper():
        return False
    words = text.split()
    if words[-1].lower() in _LEAD_IN_ENDINGS:
        return False
    return 1 <= len(words) <= 8 and not any(ch.isdigit() for ch in text[:1])


def list_item_text(line: str) -> str | None:
    match = _LIST_MARK.match(line)
    return line[match.end():].strip() if match else None
