"""Running the text rules over a draft's text units. Each rule's kind (in
policygen.lint.text.kinds) does the checking; this module is what the engine calls."""

from __future__ import annotations

from collections.abc import Iterable

from policygen.lint.text.kinds import KINDS, DraftFacts, TextHit, Texts, TextUnit
from policygen.lint.text.rule import TextRule

__all__ = ["DraftFacts", "TextHit", "TextUnit", "run_text_rules"]


def run_text_rules(rules: Iterable[TextRule], units: list[TextUnit], facts: DraftFacts) -> list[TextHit]:
    texts = Texts(units)
    hits: list[TextHit] = []
    for rule in rules:
        hits += KINDS[rule.kind].check(rule, texts, facts)
    return hits
