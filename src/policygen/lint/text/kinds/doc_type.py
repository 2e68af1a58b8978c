"""Kind `dokumenttyp`: the draft calls itself another type of document than it is."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.lint.text.kinds.base import (
    WORDS,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    make_hit,
)
from policygen.lint.text.kinds.words import word_regex
from policygen.vocabulary import DOC_TYPES


@dataclass(frozen=True)
class DocTypeOptions:
    self_words: dict[str, tuple[str, ...]]    # document type → the words a document of it calls itself


class DocType(Kind[DocTypeOptions]):
    name = "dokumenttyp"
    description = "dokumentet kallar sig oftare något annat än det är (”denna riktlinje” i en policy)"
    fields = {"self_words": {"type": "object", "additionalProperties": False,
                             "properties": {t: WORDS for t in DOC_TYPES}}}
    required = ("self_words",)
    message_fields = frozenset({"typ", "antal", "eget", "eget_antal"})

    def prepare(self, entry: dict, fail: Fail) -> DocTypeOptions:
        return DocTypeOptions({doc_type: tuple(forms) for doc_type, forms in entry["self_words"].items()})

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        words = self.options(rule).self_words
        joined = texts.prose
        counts = {doc_type: list(joined.finditer(word_regex(tuple(forms)))) if any(
            form.split()[0].lower() in joined.lowered for form in forms) else []
            for doc_type, forms in words.items()}
        own = counts.get(facts.doc_type, [])
        hits = []
        for other, found in counts.items():
            if other == facts.doc_type or len(found) < 2 or len(found) <= len(own):
                continue
            unit, start, end, _ = found[0]
            own_word = words.get(facts.doc_type, (facts.doc_type,))[0]
            hits.append(make_hit(rule, unit, start, end, own_word, typ=facts.doc_type,
                                 antal=len(found), eget=own_word, eget_antal=len(own)))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return tuple(f"{t}: " + ", ".join(f"”{w}”" for w in words)
                     for t, words in self.options(rule).self_words.items())
