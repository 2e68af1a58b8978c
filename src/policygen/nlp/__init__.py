"""Swedish text analysis on spaCy's blank Swedish pipeline: `tokenizer` (spaCy's
rules without importing spaCy), `lemmas` (lookup lemmas), `sentences` (sentences,
words and lemmas of a text)."""
