"""Which kind of governing document a draft is, from its title and headings."""

from __future__ import annotations

import re

from policygen.model import Document

_SIGNS = (
    ("handlingsplan", ("handlingsplan", "verksamhetsplan", "aktivitetsplan", "åtgärdsplan")),
    ("riktlinje", ("riktlinje",)),
    ("policy", ("policy",)),
)


def detect_doc_type(document: Document) -> str:
    title = (document.title or "").lower()
    # A Markaryd-style "Policy och riktlinjer" is a policy with an attached guideline part.
    if "policy" in title:
        return "policy"
    for doc_type, words in _SIGNS:
        if any(word in title for word in words):
            return doc_type
    heading_text = " ".join(h.text.lower() for h in document.headings()[:5])
    for doc_type, words in _SIGNS:
        if any(word in heading_text for word in words):
            return doc_type
    # A draft cut without its title usually names itself early on
    # ("Verksamhetsplanen för … hör till näringslivspolicyn"): the first named type wins.
    opening = " ".join(text.lower() for text, _ in list(document.text_units())[:6])
    first = [(match.start(), doc_type) for doc_type, words in _SIGNS for word in words
             if (match := re.search(rf"(?<!\w){word}", opening))]
    return min(first)[1] if first else "policy"
