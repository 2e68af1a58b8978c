"""Swedish text analysis on spaCy's blank Swedish pipeline: `tokenizer` (spaCy's
rules without importing spaCy), `lemmas` (lookup lemmas), `sentences` (sentences,
words and lemmas of a text), `concepts` (the concept lexicon and its matcher,
shared by the linter and the profile's check of free text against its choices)."""
