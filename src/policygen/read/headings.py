"""Heading guesses for text without styles (plain text, PDF, unstyled DOCX)."""

from __future__ import annotations

import re

_LIST_MARK = re.compile(r"^\s*([•\-–*·▪●]|\d+[.)]|[IVX]+\.)\s+")


def looks_like_heading(line: str) -> bool:
    """A short title-like line: capital first letter, few words, no final stop."""
    text = line.strip()
    if not text or len(text) > 70 or _LIST_MARK.match(text):
        return False
    if text[-1] in ".,;:!?" or not text[0].isupper():
        return False
    words = text.split()
    return 1 <= len(words) <= 8 and not any(ch.isdigit() for ch in text[:1])


def list_item_text(line: str) -> str | None:
    match = _LIST_MARK.match(line)
    return line[match.end():].strip() if match else None
