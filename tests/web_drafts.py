"""Small drafts for the web tests, written for them: a Word draft from a
kommun that says a little about social enterprises and leaves most of SKR's
parts out, so a review has both evidence and gaps to show."""

from __future__ import annotations

from pathlib import Path

DRAFT_PARAGRAPHS = [
    ("Title", "Policy för samverkan med sociala företag i Kiruna kommun"),
    ("Heading 1", "Bakgrund"),
    (None, "Kiruna kommun vill att fler arbetsintegrerande sociala företag ska växa i kommunen, "
           "eftersom de ger arbete åt personer som står långt från arbetsmarknaden."),
    (None, "Kommunstyrelsen skall ansvara för att policyn följs och kommunen samt föreningarna "
           "träffas när det behövs."),
    ("Heading 1", "Upphandling"),
    (None, "Vid upphandling kan kommunen ställa krav på sysselsättning när det passar."),
]


def word_draft(path: Path, paragraphs: list[tuple[str | None, str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for style, text in paragraphs or DRAFT_PARAGRAPHS:
        document.add_paragraph(text, style=style) if style else document.add_paragraph(text)
    document.save(str(path))
    return path


def text_pages(pages: int = 10) -> str:
    """A plain-text draft of about `pages` pages, for load tests."""
    body = "\n\n".join(text for _, text in DRAFT_PARAGRAPHS)
    return "\n\n".join([body] * (pages * 3))
