"""Writes src/policygen/data/sv_tokenizer.json: the rules of spaCy's blank
Swedish tokenizer and sentencizer (prefix, suffix, infix and URL patterns,
special cases, sentence-final characters) as data.

Why: importing spaCy costs about 0.6 s of a cold `policygen lint`, which only
needs these rules. With another spaCy installed, policygen derives the tables
once into the user's cache (policygen.nlp.tokenizer_tables); shipping the
current release's tables saves that second on a fresh install. Run this after
raising spaCy's version in pyproject.toml:

    python tools/build_sv_tokenizer.py
"""

from __future__ import annotations

import json
from pathlib import Path

from policygen.nlp.tokenizer_tables import derive_tables

TARGET = Path(__file__).resolve().parents[1] / "src" / "policygen" / "data" / "sv_tokenizer.json"


def main() -> None:
    TARGET.write_text(json.dumps(derive_tables(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"Skrev {TARGET}")


if __name__ == "__main__":
    main()
