"""Paragraph anchors: how a finding in a draft finds its way back to the
paragraph it came from. The reader numbers paragraphs with body_paragraphs
and stores the number in Location.anchor; the comment writer resolves the
number with the same function, so the two can never count differently."""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def body_paragraphs(body: Any) -> list[Any]:
    """Every <w:p> under the document body, in document order (table cells and
    content controls included); a paragraph's anchor is its index here."""
    return list(body.iter(f"{W}p"))
