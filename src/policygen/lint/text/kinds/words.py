"""Kind `ord`: words or phrases to replace, each with its replacement or none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policygen.lint.text.kinds.base import (
    REGEXES,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    compile_regex,
    make_hit,
)


@cache
def word_regex(words: tuple[str, ...]) -> re.Pattern:
    alternatives = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in alternatives)
    return re.compile(rf"(?<![\w/-])(?:{body})(?![\w/-])", re.IGNORECASE)


def match_case(replacement: str, found: str) -> str:
    if found[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@dataclass(frozen=True)
class WordsOptions:
    words: dict[str, str | None]              # normalised phrase → replacement (None: rewrite the sentence)
    exceptions: tuple[re.Pattern, ...]        # phrases where a listed word means something else
    message_no_replacement: str | None


class Words(Kind[WordsOptions]):
    name = "ord"
    description = ("ord eller fraser som ska bytas; ersättningen föreslås i fyndet (tom ersättning = inget "
                   "byte som behåller betydelsen, skriv om meningen)")
    fields = {
        "words": {"type": "object", "minProperties": 1, "additionalProperties": {"type": ["string", "null"]}},
        # Phrases where a listed word means something else ("i detta avseende"): no finding there.
        "exceptions": REGEXES,
        # Used instead of `message` for a word without a replacement.
        "message_no_replacement": {"type": "string", "minLength": 1},
    }
    required = ("words",)
    extra_messages = ("message_no_replacement",)

    def prepare(self, entry: dict, fail: Fail) -> WordsOptions:
        exceptions = tuple(compile_regex(text, fail, ["exceptions", index], ignorecase=True)
                           for index, text in enumerate(entry.get("exceptions", [])))
        if any(value is None for value in entry["words"].values()) and "message_no_replacement" not in entry \
                and "{ersättning}" in entry["message"]:
            raise fail("meddelandet använder {ersättning}, men några ord saknar ersättning", ["words"],
                       "lägg till message_no_replacement: med ett meddelande utan {ersättning}")
        return WordsOptions({_normal(k): v for k, v in entry["words"].items()}, exceptions,
                            entry.get("message_no_replacement"))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        table = options.words
        joined = texts.running
        # A substring test is far cheaper than a regex pass; most drafts contain few of the words.
        present = tuple(word for word in table if word.split()[0] in joined.lowered)
        if not present:
            return []
        hits = []
        for unit, start, end, match in joined.finditer(word_regex(present)):
            if self._excepted(options.exceptions, unit.text, start, end):
                continue
            replacement = table.get(_normal(match.group(0)))
            if replacement:
                hits.append(make_hit(rule, unit, start, end, match_case(replacement, match.group(0))))
            else:
                hits.append(make_hit(rule, unit, start, end,
                                     message=options.message_no_replacement or rule.message))
        return hits

    @staticmethod
    def _excepted(exceptions: tuple[re.Pattern, ...], text: str, start: int, end: int) -> bool:
        """Whether an exception phrase covers the word at [start, end). Only the
        words around the hit are searched: hits are few, the draft is long."""
        window_start = max(0, start - 60)
        window = text[window_start:end + 60]
        return any(m.start() <= start - window_start < m.end()
                   for regex in exceptions for m in regex.finditer(window))

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return tuple(f"”{word}” → ”{replacement}”" if replacement else f"”{word}” (skriv om)"
                     for word, replacement in self.options(rule).words.items())
