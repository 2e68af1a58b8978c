"""spaCy's blank Swedish tokenizer and sentencizer without importing spaCy.

A cold `policygen lint` spent about 0.6 s importing spaCy and 0.1 s building
`spacy.blank("sv")`, to use only its tokenizer and sentencizer. This module runs
the same algorithm (spaCy's `Tokenizer.__call__`: whitespace split, special
cases, prefix/suffix splitting, URL match, infixes, and the special-case
matcher pass; then `Sentencizer.predict`) on the rules of the installed spaCy
(policygen.nlp.tokenizer_tables: shipped for one release, derived once and
cached for any other). tests/test_tokenizer.py compares it token by token with
spaCy on the project's texts and on generated text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from policygen.infra.cache import cached, decode_json, json_payload, store
from policygen.nlp.tokenizer_tables import derive_tables, has_table_shape

_DATA = "sv_tokenizer.json"


@dataclass(frozen=True)
class Token:
    text: str
    idx: int                # character offset in the text
    sent_start: bool

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


def _compiled(entry: dict[str, Any] | None) -> re.Pattern[str] | None:
    return re.compile(entry["pattern"], entry["flags"]) if entry else None


def is_punct(text: str) -> bool:
    """spaCy's lexical attribute: every character is Unicode punctuation."""
    return all(unicodedata.category(char).startswith("P") for char in text)


class SwedishTokenizer:
    def __init__(self, data: dict[str, Any]) -> None:
        self._prefix = _compiled(data["prefix"])
        self._suffix = _compiled(data["suffix"])
        self._infix = _compiled(data["infix"])
        self._token_match = _compiled(data["token_match"])
        self._url_match = _compiled(data["url_match"])
        self._specials: dict[str, tuple[str, ...]] = {
            chunk: tuple(pieces) for chunk, pieces in data["special_cases"].items()}
        self._sentence_final = frozenset(data["sentence_final"])
        self._cache: dict[tuple[str, bool], tuple[str, ...]] = {}
        # spaCy's special-case matcher: a special case that affix splitting may
        # cut into pieces is put together again after tokenisation. Indexed by
        # the first piece, as it is matched token by token.
        self._patterns: dict[str, list[tuple[str, ...]]] = {}
        for chunk in self._specials:
            if (not data["faster_heuristics"] or self._find_prefix(chunk) or self._find_suffix(chunk)
                    or self._has_infix(chunk) or " " in chunk):
                pattern = tuple(piece for piece, _ in self._affix_tokens(chunk, with_specials=False))
                if pattern:
                    self._patterns.setdefault(pattern[0], []).append(pattern)

    # -- spaCy's Tokenizer ------------------------------------------------------

    def tokenize(self, text: str) -> list[tuple[str, int]]:
        """(token text, character offset) for every token, whitespace tokens included."""
        return self._apply_special_cases(text, self._affix_tokens(text, with_specials=True))

    def _affix_tokens(self, text: str, with_specials: bool) -> list[tuple[str, int]]:
        # Like str.split, but a whitespace run other than one single space is a
        # token of its own (spaCy keeps "\n" and the second of two spaces).
        tokens: list[tuple[str, int]] = []
        if not text:
            return tokens
        start, in_space = 0, text[0].isspace()
        for index, char in enumerate(text):
            if char.isspace() != in_space:
                if start < index:
                    self._add_chunk(tokens, text[start:index], start, with_specials)
                start = index + 1 if char == " " else index
                in_space = not in_space
        if start < len(text):
            self._add_chunk(tokens, text[start:], start, with_specials)
        return tokens

    def _add_chunk(self, tokens: list[tuple[str, int]], chunk: str, offset: int, with_specials: bool) -> None:
        for piece in self._chunk(chunk, with_specials):
            tokens.append((piece, offset))
            offset += len(piece)

    def _chunk(self, chunk: str, with_specials: bool) -> tuple[str, ...]:
        if with_specials and chunk in self._specials:
            return self._specials[chunk]
        key = (chunk, with_specials)
        cached = self._cache.get(key)
        if cached is None:
            prefixes: list[str] = []
            suffixes: list[str] = []
            core = self._split_affixes(chunk, prefixes, suffixes, with_specials)
            cached = (*prefixes, *self._attach(core, with_specials), *reversed(suffixes))
            if len(self._cache) < 100_000:
                self._cache[key] = cached
        return cached

    def _split_affixes(self, string: str, prefixes: list[str], suffixes: list[str],
                       with_specials: bool) -> str:
        specials = self._specials if with_specials else {}
        last_size = 0
        while string and len(string) != last_size:
            if self._token_match is not None and self._token_match.match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in specials:
                    prefixes.append(prefix)
                    return minus_pre
            suf_len = self._find_suffix(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    suffixes.append(suffix)
                    return minus_suf
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        return string

    def _attach(self, string: str, with_specials: bool) -> tuple[str, ...]:
        if not string:
            return ()
        if with_specials and string in self._specials:
            return self._specials[string]
        if ((self._token_match is not None and self._token_match.match(string))
                or (self._url_match is not None and self._url_match.match(string))):
            return (string,)
        if self._infix is None:
            return (string,)
        tokens: list[str] = []
        start = 0
        for match in self._infix.finditer(string):
            infix_start, infix_end = match.start(), match.end()
            if infix_start == 0:
                continue
            if infix_start != start:
                tokens.append(string[start:infix_start])
            if infix_start != infix_end:
                tokens.append(string[infix_start:infix_end])
            start = infix_end
        if string[start:]:
            tokens.append(string[start:])
        return tuple(tokens)

    def _find_prefix(self, string: str) -> int:
        match = self._prefix.search(string) if self._prefix is not None else None
        return match.end() - match.start() if match is not None else 0

    def _find_suffix(self, string: str) -> int:
        match = self._suffix.search(string) if self._suffix is not None else None
        return match.end() - match.start() if match is not None else 0

    def _has_infix(self, string: str) -> bool:
        return self._infix is not None and self._infix.search(string) is not None

    def _apply_special_cases(self, text: str, tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
        matches = []
        for start, (first, _) in enumerate(tokens):
            for pattern in self._patterns.get(first, ()):
                end = start + len(pattern)
                if end <= len(tokens) and all(tokens[start + k][0] == piece for k, piece in enumerate(pattern)):
                    matches.append((start, end))
        if not matches:
            return tokens
        # Longest first, then leftmost; a span whose first or last token lies in
        # one already seen is dropped (spaCy's _filter_special_spans).
        seen: set[int] = set()
        kept = []
        for start, end in sorted(set(matches), key=lambda span: (-(span[1] - span[0]), span[0])):
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        replacements = {}
        for start, end in kept:
            last_text, last_idx = tokens[end - 1]
            span_text = text[tokens[start][1]:last_idx + len(last_text)]
            pieces = self._specials.get(span_text)
            if pieces is not None:
                replacements[start] = (end, pieces)
        result: list[tuple[str, int]] = []
        index = 0
        while index < len(tokens):
            if index in replacements:
                end, pieces = replacements[index]
                offset = tokens[index][1]
                for piece in pieces:
                    result.append((piece, offset))
                    offset += len(piece)
                index = end
            else:
                result.append(tokens[index])
                index += 1
        return result

    # -- spaCy's Sentencizer ------------------------------------------------------

    def sentence_starts(self, tokens: list[tuple[str, int]]) -> list[bool]:
        starts = [False] * len(tokens)
        if not tokens:
            return starts
        starts[0] = True
        start, seen_period = 0, False
        for index, (text, _) in enumerate(tokens):
            final = text in self._sentence_final
            if seen_period and not final and not is_punct(text):
                starts[start] = True
                start, seen_period = index, False
            elif final:
                seen_period = True
        if start < len(tokens):
            starts[start] = True
        return starts

    def __call__(self, text: str) -> list[Token]:
        tokens = self.tokenize(text)
        return [Token(piece, offset, start)
                for (piece, offset), start in zip(tokens, self.sentence_starts(tokens))]


def _bundled() -> dict[str, Any]:
    text = resources.files("policygen.data").joinpath(_DATA).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def installed_spacy_version() -> str | None:
    """The installed spaCy's version, read from its about.py: importing spaCy
    is what this module exists to avoid."""
    spec = find_spec("spacy")
    if spec is None or spec.origin is None:
        return None
    try:
        about = (Path(spec.origin).parent / "about.py").read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', about, re.MULTILINE)
    return found.group(1) if found else None


def _decode_tables(payload: bytes) -> dict[str, Any] | None:
    data = decode_json(payload)
    return data if has_table_shape(data) else None


@cache
def _data() -> dict[str, Any] | None:
    """The tables of the installed spaCy: the bundled ones when they came from
    it, else derived from it once and kept in the cache. None when they cannot
    be derived (a spaCy whose internals changed): spaCy itself is used then."""
    bundled = _bundled()
    installed = installed_spacy_version()
    if installed is None or installed == bundled["spacy_version"]:
        return bundled
    stored = cached("sv-tokenizer", (installed,), _decode_tables)
    if stored is not None and stored["spacy_version"] == installed:
        return stored
    try:
        derived = json.loads(json.dumps(derive_tables()))
    except Exception:  # noqa: BLE001 – any change inside spaCy: fall back to spaCy itself
        return None
    store("sv-tokenizer", (installed,), json_payload(derived))
    return derived


def matches_installed_spacy() -> bool:
    """Whether this module can stand in for the installed spaCy."""
    return _data() is not None


@cache
def swedish_tokenizer() -> SwedishTokenizer:
    return SwedishTokenizer(_data() or _bundled())

