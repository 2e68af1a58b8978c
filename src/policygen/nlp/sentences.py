"""Swedish NLP on spacy.blank("sv"): sentences, lower-cased lookup lemmas and
compound-aware concept matching. The pipeline loads once per process."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from policygen.nlp.lemmas import lemma_table
from policygen.nlp.tokenizer import matches_installed_spacy, swedish_tokenizer


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
    """spaCy's blank Swedish pipeline: the reference policygen.nlp.tokenizer is
    checked against, and the fallback when the installed spaCy is another
    version than the tokenizer data came from."""
    import spacy  # imported lazily: it is slow to import

    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    # The readers allow a draft of policygen.read.MAX_CHARACTERS (4 000 000);
    # spaCy's own limit of 1 000 000 is meant for its parsers, not a tokenizer.
    nlp.max_length = 5_000_000
    return nlp


@cache
def _use_spacy() -> bool:
    return not matches_installed_spacy()


def preload() -> None:
    """Load what sentences_of needs once, before forking workers."""
    if _use_spacy():
        pipeline()
    else:

        swedish_tokenizer()


# Per token: lower-cased text (None for whitespace), character offset, length,
# and whether it starts a sentence.
_Row = tuple[str | None, int, int, bool]


def _rows_from_spacy(texts: list[str]) -> list[list[_Row]]:
    from spacy.attrs import IDX, IS_SPACE, LENGTH, LOWER, SENT_START

    nlp = pipeline()
    strings = nlp.vocab.strings
    parsed = []
    for doc in nlp.pipe(texts, batch_size=256):
        # Token attributes as one array: a Token object per word costs more
        # than the rest of the lint.
        parsed.append([(None if space else strings[lower], idx, length, start == 1)
                       for lower, space, start, idx, length
                       in doc.to_array([LOWER, IS_SPACE, SENT_START, IDX, LENGTH]).tolist()])
    return parsed


def _rows_from_tokenizer(texts: list[str]) -> list[list[_Row]]:
    tokenize = swedish_tokenizer()
    return [[(None if token.is_space else token.text.lower(), token.idx, len(token.text), token.sent_start)
             for token in tokenize(text)] for text in texts]


_ABBREVIATION_END = re.compile(r"(?:\b[a-zåäö]{1,4}\.|\b[A-ZÅÄÖa-zåäö]\.)\s*$")


def _after_abbreviation(text: str, start: int) -> bool:
    """Whether the text before `start` ends in a short word's full stop ("ek.", "t.ex.", "enl.")."""
    return _ABBREVIATION_END.search(text[max(0, start - 8):start]) is not None


def sentences_of(texts: Iterable[str]) -> list[list[Sentence]]:
    texts = list(texts)
    rows_per_text = _rows_from_spacy(texts) if _use_spacy() else _rows_from_tokenizer(texts)
    parsed = []
    for text, rows in zip(texts, rows_per_text):
        # The lookup table is lower case; drafts capitalise sentence starts and
        # unit names ("Socialförvaltningen"), so look up the lower-cased form.
        words = [row[0] for row in rows]
        offsets = [row[1] for row in rows]
        # A "sentence" that begins with a small letter right after an abbreviation's full stop is no
        # sentence ("Café Linden ek. för.", "enl. LOU"); after "?" or "!", or after a full word, it is one.
        starts = [i for i, row in enumerate(rows)
                  if i == 0 or (row[3] and not (text[row[1]:row[1] + 1].islower() and _after_abbreviation(text, row[1])))
                  ] + [len(rows)]
        bounds = []
        for start, end in zip(starts, starts[1:]):
            bounds.append((start, end, rows[start][1], rows[end - 1][1] + rows[end - 1][2]))
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
