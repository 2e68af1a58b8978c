"""Swedish NLP on spacy.blank("sv"): sentences, lower-cased lookup lemmas and
compound-aware concept matching. The pipeline loads once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterable


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int                      # character offset in the paragraph text
    end: int
    lemmas: tuple[str, ...]
    words: tuple[str, ...]          # lower-cased surface forms


@cache
def pipeline():
    import spacy  # imported lazily: only linting needs it, and it is slow to import

    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    return nlp


@cache
def lemma_table() -> dict[str, str]:
    """spaCy's Swedish lookup table from spacy-lookups-data, read without a model."""
    from spacy.lookups import load_lookups

    lookups = load_lookups("sv", ["lemma_lookup"])
    return _TableView(lookups.get_table("lemma_lookup"))


class _TableView(dict):
    # spaCy's Table hashes string keys; keep a plain cache of what we looked up.
    def __init__(self, table) -> None:
        super().__init__()
        self._table = table

    def __missing__(self, key: str) -> str:
        value = self._table.get(key, key)
        self[key] = value
        return value


def sentences_of(texts: Iterable[str]) -> list[list[Sentence]]:
    nlp = pipeline()
    table = lemma_table()
    result = []
    for doc in nlp.pipe(texts, batch_size=256):
        sentences = []
        for span in doc.sents:
            # The lookup table is lower case; drafts capitalise sentence starts and
            # unit names ("Socialförvaltningen"), so look up the lower-cased form.
            words = tuple(t.lower_ for t in span if not t.is_space)
            lemmas = tuple(table[w] for w in words)
            sentences.append(Sentence(span.text, span.start_char, span.end_char, lemmas, words))
        result.append(sentences)
    return result
