"""Writes src/policygen/data/sv_tokenizer.json: the rules of spaCy's blank
Swedish tokenizer and sentencizer (prefix, suffix, infix and URL patterns,
special cases, sentence-final characters) as data.

Why: importing spaCy costs about 0.6 s of a cold `policygen lint`, which only
needs these rules. policygen.tokenizer runs the same algorithm on this data and
is used only while the installed spaCy has the version recorded here; the
tests check it token by token against spaCy. Run this after upgrading spaCy:

    python tools/build_sv_tokenizer.py
"""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.attrs import ORTH
from spacy.pipeline.sentencizer import Sentencizer

TARGET = Path(__file__).resolve().parents[1] / "src" / "policygen" / "data" / "sv_tokenizer.json"


def _pattern(function) -> dict[str, object] | None:
    if function is None:
        return None
    compiled = function.__self__
    return {"pattern": compiled.pattern, "flags": int(compiled.flags)}


def tokenizer_data() -> dict[str, object]:
    nlp = spacy.blank("sv")
    tokenizer = nlp.tokenizer
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


def main() -> None:
    TARGET.write_text(json.dumps(tokenizer_data(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"Skrev {TARGET}")


if __name__ == "__main__":
    main()
