"""Swedish NLP on spacy.blank("sv"): sentences, lower-cased lookup lemmas and
compound-aware concept matching. The pipeline loads once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Iterable

from policygen.lemmas import lemma_table


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int                      # character offset in the paragraph text
    end: int
    lemmas: tuple[str, ...]
    words: tuple[str, ...]          # lower-cased surface forms
    # Character offset of each word in the paragraph text: lets the linter tell
    # which words stand inside quotation marks or an organisation's name.
    offsets: tuple[int, ...] = ()

    @cached_property
    def running_words(self) -> tuple[str, ...]:
        """Words with at least one letter: what sentence length and LIX count."""
        return tuple(w for w in self.words if not w.isdigit() and any(c.isalpha() for c in w))


@cache
def pipeline():
    import spacy  # imported lazily: only linting needs it, and it is slow to import

    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences_of(texts: Iterable[str]) -> list[list[Sentence]]:
    from spacy.attrs import IDX, IS_SPACE, LENGTH, LOWER, SENT_START

    nlp = pipeline()
    strings = nlp.vocab.strings
    texts = list(texts)
    parsed = []
    # doc.text would rebuild each text from Token objects; the input is the same string.
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=256)):
        # Read token attributes as one array: creating a Token object per word
        # costs more than the rest of the lint.
        rows = doc.to_array([LOWER, IS_SPACE, SENT_START, IDX, LENGTH]).tolist()
        # The lookup table is lower case; drafts capitalise sentence starts and
        # unit names ("Socialförvaltningen"), so look up the lower-cased form.
        words = [None if space else strings[lower] for lower, space, _, _, _ in rows]
        offsets = [row[3] for row in rows]
        starts = [i for i, row in enumerate(rows) if row[2] == 1 or i == 0] + [len(rows)]
        bounds = []
        for start, end in zip(starts, starts[1:]):
            bounds.append((start, end, rows[start][3], rows[end - 1][3] + rows[end - 1][4]))
        parsed.append((text, words, offsets, bounds))
    table = lemma_table().lemmas(w for _, words, _, _ in parsed for w in words if w is not None)
    result = []
    for text, words, offsets, bounds in parsed:
        sentences = []
        for start, end, start_char, end_char in bounds:
            kept = [i for i in range(start, end) if words[i] is not None]
            sentence_words = tuple(str(words[i]) for i in kept)
            sentences.append(Sentence(text[start_char:end_char], start_char, end_char,
                                      tuple(table[w] for w in sentence_words), sentence_words,
                                      tuple(offsets[i] for i in kept)))
        result.append(sentences)
    return result
