"""The rules of spaCy's blank Swedish tokenizer and sentencizer as data:
prefix, suffix, infix, token and URL patterns, special cases and the
sentence-final characters. policygen.nlp.tokenizer runs spaCy's algorithm on
them without importing spaCy.

The package ships the tables of one spaCy release (data/sv_tokenizer.json,
written by tools/build_sv_tokenizer.py). With another release installed they
are derived from it once, by importing spaCy (about a second), and kept in the
user's cache; tests/test_tokenizer.py checks the result token by token against
spaCy itself."""

from __future__ import annotations

from typing import Any


def _pattern(function: Any) -> dict[str, object] | None:
    if function is None:
        return None
    compiled = function.__self__
    return {"pattern": compiled.pattern, "flags": int(compiled.flags)}


def derive_tables() -> dict[str, Any]:
    """The installed spaCy's Swedish tokenizer rules (imports spaCy)."""
    import spacy  # slow to import; this runs once per spaCy release
    from spacy.attrs import ORTH
    from spacy.pipeline.sentencizer import Sentencizer

    nlp = spacy.blank("sv")
    tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer class (its stub types it as a callable)
    strings = nlp.vocab.strings
    special_cases = {}
    for chunk, pieces in sorted(tokenizer.rules.items()):
        special_cases[chunk] = [piece[ORTH] if isinstance(piece[ORTH], str) else strings[piece[ORTH]]
                                for piece in pieces]
    return {
        "spacy_version": spacy.__version__,
        "prefix": _pattern(tokenizer.prefix_search),
        "suffix": _pattern(tokenizer.suffix_search),
        "infix": _pattern(tokenizer.infix_finditer),
        "token_match": _pattern(tokenizer.token_match),
        "url_match": _pattern(tokenizer.url_match),
        "faster_heuristics": bool(tokenizer.faster_heuristics),
        "special_cases": special_cases,
        "sentence_final": sorted(Sentencizer.default_punct_chars),
    }


def has_table_shape(data: Any) -> bool:
    """Whether `data` (read from the cache) has the keys and types the tokenizer uses."""
    if not isinstance(data, dict):
        return False
    patterns_ok = all(data.get(key) is None or (isinstance(data[key], dict) and isinstance(data[key].get("pattern"), str)
                                                 and isinstance(data[key].get("flags"), int))
                      for key in ("prefix", "suffix", "infix", "token_match", "url_match"))
    specials = data.get("special_cases")
    return (patterns_ok and isinstance(data.get("spacy_version"), str) and isinstance(specials, dict)
            and all(isinstance(pieces, list) and all(isinstance(p, str) for p in pieces) for pieces in specials.values())
            and isinstance(data.get("sentence_final"), list) and all(isinstance(c, str) for c in data["sentence_final"]))
