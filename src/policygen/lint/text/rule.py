"""One text rule as the loader hands it to its kind: what the rule file says,
with the kind's prepared options and the rule's own examples."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Examples:
    flags: tuple[str, ...]
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
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    examples: Examples = Examples((), ())
    file: Path | None = None
    index: int = 0                    # position in the file's rules: list, for line numbers
