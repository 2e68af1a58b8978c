"""One text rule as the loader hands it to its kind: what the rule file says,
with the kind's prepared options and the rule's own examples."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FlaggedExample:
    """A text the rule must flag; with `evidence`, exactly these texts must be
    the findings' evidence (in order), and with `has_replacement`,
    `replacements` their proposals (None: no replacement, rewrite)."""
    text: str
    evidence: tuple[str, ...] | None = None
    has_replacement: bool = False
    replacements: tuple[str | None, ...] | None = None


@dataclass(frozen=True)
class Examples:
    flags: tuple[FlaggedExample, ...]
    passes: tuple[str, ...]
    kommun: str | None = None
    doc_type: str | None = None


@dataclass(frozen=True)
class TextRule:
    id: str
    name: str
    category: str
    severity: str
    kind: str
    message: str
    why: str
    source: str
    as_of: str | None
    # The kind's typed options (a dataclass per kind; Kind.options gives it its type).
    options: Any = field(default=None, hash=False, compare=False)
    examples: Examples = Examples((), ())
    file: Path | None = None
    index: int = 0                    # position in the file's rules: list, for line numbers
