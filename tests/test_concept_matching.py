"""The concept lexicon's term index finds exactly the concepts that each
concept's own matches_token finds, word by word (the index only makes it faster)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.nlp.concepts import _token_concepts, load_lexicon

LEXICON = load_lexicon()
TERMS = sorted({term for concept in LEXICON.concepts.values() for term in concept.words | concept.excluded})
LETTERS = "abcdefghijklmnoprstuvyåäö"


def by_each_concept(word: str, lemma: str) -> frozenset[str]:
    return frozenset(name for name, concept in LEXICON.concepts.items() if concept.matches_token(word, lemma))


# Compounds: a lexicon word with letters before and after, which is where
# prefix and suffix matching (and the minimum part length) decide.
compound = st.builds(lambda before, term, after: before + term + after,
                     st.text(LETTERS, max_size=5), st.sampled_from(TERMS), st.text(LETTERS, max_size=5))
word = st.one_of(compound, st.sampled_from(TERMS), st.text(LETTERS, min_size=1, max_size=12))


@settings(max_examples=400, deadline=None)
@given(word, word)
def test_index_finds_the_same_concepts_as_each_concept(token: str, lemma: str) -> None:
    assert _token_concepts(LEXICON, token, lemma) == by_each_concept(token, lemma)


def test_known_compounds() -> None:
    for term in TERMS:
        for form in (term, "arbets" + term, term + "arna"):
            assert _token_concepts(LEXICON, form, form) == by_each_concept(form, form), form
