"""The Swedish concept lexicon (lint_rules/concepts.yaml) and its matcher."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.resources import lint_rules_dir
from policygen.infra.validation import load_validated

_MODES = {"båda": (True, True), "slut": (False, True), "början": (True, False), "nej": (False, False)}
_MIN_PART = 3

CONCEPT_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "type": "object", "additionalProperties": False, "required": ["beskrivning"],
        "anyOf": [{"required": ["ord"]}, {"required": ["fraser"]}],
        "properties": {
            "beskrivning": {"type": "string", "minLength": 1},
            "ord": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
            "fraser": {"type": "array", "items": {"type": "string", "pattern": r"^\S+( \S+)+$"}},
            "sammansättning": {"enum": list(_MODES)},
            "bara_sammansatta": {"type": "boolean"},
            "döljer": {"type": "array", "items": {"type": "string", "minLength": 1},
                       "description": "begrepp som inte räknas för ord som ingår i det här begreppets fraser "
                                      "(\"varje chef\" är ingen utpekad roll)"},
            "utom": {"type": "array", "items": {"type": "string", "minLength": 1},
                     "description": "ord som liknar begreppet men betyder något annat (t.ex. målgrupp för grupp)"},
        },
    },
}


@dataclass(frozen=True)
class Concept:
    name: str
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    prefix: bool
    suffix: bool
    compounds_only: bool
    excluded: frozenset[str] = frozenset()
    hides: frozenset[str] = frozenset()      # concepts its phrases override on the same words

    def matches_token(self, word: str, lemma: str) -> bool:
        if word in self.excluded or lemma in self.excluded:
            return False
        for form in {word, lemma}:
            if not self.compounds_only and form in self.words:
                return True
            for term in self.words:
                if len(form) - len(term) < _MIN_PART or len(term) < 3:
                    continue
                if self.suffix and form.endswith(term):
                    return True
                if self.prefix and form.startswith(term):
                    return True
        return False


@dataclass(frozen=True, eq=False)  # hashed by identity: one lexicon per file and process
class Lexicon:
    concepts: dict[str, Concept]

    def __getitem__(self, name: str) -> Concept:
        return self.concepts[name]

    def token_concepts(self, word: str, lemma: str) -> frozenset[str]:
        return _token_concepts(self, word, lemma)

    @property
    def phrases_by_first_word(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        return _phrase_index(self)


@cache
def _phrase_index(lexicon: Lexicon) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    # Phrase matching is keyed on the first word so each token is checked once.
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, concept in lexicon.concepts.items():
        for phrase in concept.phrases:
            index.setdefault(phrase[0], []).append((name, phrase))
    return index


@cache
def _term_index(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    # Each word of every concept, with the concepts it belongs to: a token is
    # then looked up by its own prefixes and suffixes instead of being compared
    # with every word of every concept.
    index: dict[str, list[str]] = {}
    for name, concept in lexicon.concepts.items():
        for term in concept.words:
            index.setdefault(term, []).append(name)
    return {term: tuple(names) for term, names in index.items()}


@cache
def _token_concepts(lexicon: Lexicon, word: str, lemma: str) -> frozenset[str]:
    """The concepts whose matches_token(word, lemma) is true, found through the
    term index: a compound part is a prefix or suffix of at least _MIN_PART
    letters that leaves at least _MIN_PART letters of the word."""
    index, concepts = _term_index(lexicon), lexicon.concepts
    found: set[str] = set()
    for form in {word, lemma}:
        found.update(name for name in index.get(form, ()) if not concepts[name].compounds_only)
        for length in range(max(3, _MIN_PART), len(form) - _MIN_PART + 1):
            found.update(name for name in index.get(form[-length:], ()) if concepts[name].suffix)
            found.update(name for name in index.get(form[:length], ()) if concepts[name].prefix)
    return frozenset(name for name in found
                     if word not in concepts[name].excluded and lemma not in concepts[name].excluded)


def load_lexicon(path: Path | None = None) -> Lexicon:
    return _load((path or lint_rules_dir() / "concepts.yaml").resolve())


@cache
def _load(path: Path) -> Lexicon:
    data, _ = load_validated(path, "begreppslexikonet", CONCEPT_SCHEMA, "jämför med lint_rules/concepts.yaml")
    concepts = {}
    for name, entry in data.items():
        prefix, suffix = _MODES[entry.get("sammansättning", "båda")]
        concepts[name] = Concept(
            name, frozenset(w.lower() for w in entry.get("ord", [])),
            tuple(tuple(p.lower().split()) for p in entry.get("fraser", [])),
            prefix, suffix, bool(entry.get("bara_sammansatta", False)),
            frozenset(w.lower() for w in entry.get("utom", [])), frozenset(entry.get("döljer", [])))
    for name, concept in concepts.items():
        unknown = sorted(concept.hides - set(concepts))
        if unknown:
            raise UserError(f"begreppet '{name}' döljer det okända begreppet '{unknown[0]}'", file=path,
                            hint="ange begrepp som finns i lexikonet under döljer:")
    if "negation" not in concepts:
        raise UserError("begreppslexikonet saknar begreppet 'negation'", file=path, line=1,
                        hint="lägg till negation: med ord som inte, ej och ingen")
    return Lexicon(concepts)


def concept_positions(lexicon: Lexicon, words: tuple[str, ...],
                      lemmas: tuple[str, ...]) -> dict[str, list[tuple[int, int]]]:
    """Every occurrence of every concept in a sentence, as token ranges [start, end)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for index, (word, lemma) in enumerate(zip(words, lemmas)):
        for name in lexicon.token_concepts(word, lemma):
            found.setdefault(name, []).append((index, index + 1))
    phrases = lexicon.phrases_by_first_word
    for index, (word, lemma) in enumerate(zip(words, lemmas)):
        candidates = phrases.get(word, []) + (phrases.get(lemma, []) if lemma != word else [])
        for name, phrase in candidates:
            end = index + len(phrase)
            if end <= len(words) and all(words[index + k] == part or lemmas[index + k] == part
                                         for k, part in enumerate(phrase)):
                found.setdefault(name, []).append((index, end))
    # "varje chef" is responsibility spread thin, not a named role: a phrase
    # hides the concepts it overrides on the words it covers.
    for name, spans in list(found.items()):
        for hidden in lexicon[name].hides:
            covered = {i for start, end in spans if end - start > 1 for i in range(start, end)}
            if covered and hidden in found:
                kept = [(s, e) for s, e in found[hidden] if s not in covered]
                if kept:
                    found[hidden] = kept
                else:
                    del found[hidden]
    return found
