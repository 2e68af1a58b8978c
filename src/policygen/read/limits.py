"""How much of a draft the linter takes on: a file size, and a document size
beyond any real governing document (checked before the slow steps)."""

from __future__ import annotations

from pathlib import Path

from policygen.errors import UserError
from policygen.model import Document

# What a governing document can hold: a 500-page draft has about 15 000
# paragraphs and 1 million characters. Beyond these limits a file is
# pathological (or not a draft) and linting it would take minutes and gigabytes.
MAX_TEXT_UNITS = 40_000
MAX_CHARACTERS = 4_000_000
MAX_UNIT_CHARACTERS = 100_000


def check_document_limits(document: Document, path: Path) -> None:
    """Refuse a document far beyond any governing document before it is linted."""
    units = characters = 0
    for text, _ in document.text_units():
        units += 1
        characters += len(text)
        if len(text) > MAX_UNIT_CHARACTERS:
            raise UserError(f"ett stycke är {len(text):,} tecken långt; gränsen är {MAX_UNIT_CHARACTERS:,}"
                            .replace(",", " "), file=path,
                            hint="dela upp texten i stycken, eller kontrollera att det är rätt fil")
        if units > MAX_TEXT_UNITS or characters > MAX_CHARACTERS:
            raise UserError(f"dokumentet är för stort att granska (över {MAX_TEXT_UNITS:,} stycken eller "
                            f"{MAX_CHARACTERS:,} tecken)".replace(",", " "), file=path,
                            hint="granska dokumentet i delar, eller kontrollera att det är rätt fil")
