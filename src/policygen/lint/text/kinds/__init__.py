"""The kinds of text rule. Each kind is one object holding its schema
fragment, its message fields, its check and its description; adding a kind
means writing one class here and listing it in KINDS."""

from __future__ import annotations

from typing import Any

from policygen.lint.text.kinds.base import DraftFacts, Kind, TextHit, Texts, TextUnit
from policygen.lint.text.kinds.dates import ImpossibleDate, Validity
from policygen.lint.text.kinds.doc_type import DocType
from policygen.lint.text.kinds.fact_amounts import FactAmounts
from policygen.lint.text.kinds.fact_authority import FactAuthority
from policygen.lint.text.kinds.fact_bodies import FactBodies
from policygen.lint.text.kinds.fact_counts import FactCounts
from policygen.lint.text.kinds.fact_laws import FactLaws, FactParagraphs
from policygen.lint.text.kinds.fact_origins import FactOrigins
from policygen.lint.text.kinds.fact_roles import FactRoles
from policygen.lint.text.kinds.fact_statements import FactDuties, FactShares, FactStatements, FactStrategy
from policygen.lint.text.kinds.other_kommun import OtherKommun
from policygen.lint.text.kinds.patterns import Patterns, Placeholders
from policygen.lint.text.kinds.readability import DoublePassive, Lix, SentenceLength
from policygen.lint.text.kinds.words import Words

KINDS: dict[str, Kind[Any]] = {kind.name: kind for kind in (
    Words(), DoublePassive(), SentenceLength(), Lix(), Patterns(), Placeholders(), FactAmounts(), FactLaws(),
    FactParagraphs(), FactStatements(), FactShares(), FactStrategy(), FactDuties(), OtherKommun(), DocType(), Validity(),
    ImpossibleDate(), FactAuthority(), FactOrigins(), FactRoles(), FactBodies(), FactCounts())}


def kind_fields() -> dict[str, dict]:
    """Every kind's fields as one schema fragment. Two kinds may share a field
    name only with the same schema, so a rule file means one thing by it."""
    fields: dict[str, dict] = {}
    for kind in KINDS.values():
        for name, schema in kind.fields.items():
            if fields.setdefault(name, schema) != schema:
                raise RuntimeError(f"fältet {name} har olika scheman i olika sorters regler")
    return fields


__all__ = ["KINDS", "DraftFacts", "Kind", "TextHit", "TextUnit", "Texts", "kind_fields"]
