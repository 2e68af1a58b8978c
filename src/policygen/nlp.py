"""Swedish NLP on spacy.blank("sv"): sentences, lower-cased lookup lemmas and
compound-aware concept matching. The pipeline loads once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterable

from policygen.lemmas import lemma_table


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


def sentences_of(texts: Iterable[str]) -> list[list[Sentence]]:
    nlp = pipeline()
    parsed = []
    for doc in nlp.pipe(texts, batch_size=256):
        # The lookup table is lower case; drafts capitalise sentence starts and
        # unit names ("Socialförvaltningen"), so look up the lower-cased form.
        words = [None if t.is_space else t.lower_ for t in doc]
        bounds = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
        parsed.append((doc.text, words, bounds))
    table = lemma_table().lemmas(w for _, words, _ in parsed for w in words if w is not None)
    result = []
    for text, words, bounds in parsed:
        sentences = []
        for start, end, start_char, end_char in bounds:
            sentence_words = tuple(w for w in words[start:end] if w is not None)
            sentences.append(Sentence(text[start_char:end_char], start_char, end_char,
                                      tuple(table[w] for w in sentence_words), sentence_words))
        result.append(sentences)
    return result
