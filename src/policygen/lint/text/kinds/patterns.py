"""Kinds `mönster` (text patterns with an explanation and a replacement) and
`platshållare` (patterns plus metadata labels left without a value)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, cast

from policygen.lint.text.kinds.base import (
    REGEXES,
    WORDS,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    compile_regex,
    label_alternation,
    make_hit,
    required_literal,
    sentence_around,
)


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    explanation: str
    replacement: str | None
    unless: tuple[re.Pattern, ...] = ()    # the sentence around a match that matches one of these is fine
    literal: str | None = None             # text every match contains (lower case), for a cheap first test


@cache
def _combined(patterns: tuple[Pattern, ...]) -> re.Pattern:
    # One alternation, one pass: at each place the first listed pattern wins,
    # so "LOU 2007:1092" is one mistake, not two.
    parts = []
    for index, pattern in enumerate(patterns):
        body = pattern.regex.pattern
        if pattern.regex.flags & re.IGNORECASE:
            body = f"(?i:{body})"
        parts.append(f"(?P<p{index}>{body})")
    return re.compile("|".join(parts))


@dataclass(frozen=True)
class PatternOptions:
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True)
class PlaceholderOptions(PatternOptions):
    labels: tuple[str, ...] = ()            # metadata labels that must carry a value
    label_explanation: str = ""


class Patterns(Kind[PatternOptions]):
    name = "mönster"
    description = "textmönster (reguljära uttryck) med förklaring, ersättning och undantag (unless)"
    fields = {"patterns": {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False, "required": ["regex", "förklaring"],
        "properties": {"regex": {"type": "string", "minLength": 1},
                       "förklaring": {"type": "string", "minLength": 1},
                       "ersättning": {"type": "string"},
                       "ignorecase": {"type": "boolean"},
                       "unless": {**REGEXES, "description": "meningar där mönstret inte är ett fel"}}}}}
    required: ClassVar[tuple[str, ...]] = ("patterns",)
    message_fields = frozenset({"förklaring"})

    def prepare(self, entry: dict, fail: Fail) -> PatternOptions:
        return PatternOptions(self._patterns(entry, fail))

    @staticmethod
    def _patterns(entry: dict, fail: Fail) -> tuple[Pattern, ...]:
        patterns = []
        for index, item in enumerate(entry["patterns"]):
            regex = compile_regex(item["regex"], fail, ["patterns", index, "regex"], item.get("ignorecase", False))
            unless = tuple(compile_regex(text, fail, ["patterns", index, "unless", u], ignorecase=True)
                           for u, text in enumerate(item.get("unless", [])))
            patterns.append(Pattern(regex, item["förklaring"], item.get("ersättning"), unless,
                                    required_literal(regex)))
        try:   # the check runs them as one alternation; what compiles alone may not together
            _combined(tuple(patterns))
        except re.error as exc:
            raise fail(f"mönstren går inte att köra tillsammans: {exc}", ["patterns"],
                       "skriv ignorecase: true i stället för (?i) och ge inga grupper namn (?P<…>)") from None
        return tuple(patterns)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        joined = texts.everything
        patterns = tuple(p for p in self.options(rule).patterns if p.literal is None or p.literal in joined.lowered)
        if not patterns:
            return []
        hits = []
        for unit, start, end, match in joined.finditer(_combined(patterns)):
            pattern = patterns[int((match.lastgroup or "p0")[1:])]
            if pattern.unless:
                first, last = sentence_around(unit, start, end)
                sentence = unit.text[first:last]
                if any(regex.search(sentence) for regex in pattern.unless):
                    continue
            hits.append(make_hit(rule, unit, start, end, pattern.replacement, förklaring=pattern.explanation))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return tuple(f"`{p.regex.pattern}` – {p.explanation}" for p in self.options(rule).patterns)


@cache
def _empty_label_regex(labels: tuple[str, ...]) -> re.Pattern:
    names = label_alternation(labels)
    # The next label starts with a word a label starts with ("Antagen", "Datum"), so the
    # value "Kommunfullmäktige" before "Datum:" is not read as part of a label.
    first_words = "|".join(sorted({re.escape(label.split()[0].rstrip(".")) for label in labels}
                                  | set(_OTHER_LABEL_STARTS), key=len, reverse=True))
    # "Dnr:" at the end of the unit or its line, or followed straight by the next label
    # ("Antagen datum: Antagen av: KF") when a reader joined metadata lines.
    return re.compile(rf"(?<![\w-])(?:{names})[ \t\u00a0]*:(?=[ \t\u00a0]*(?:$|\n|"
                      rf"(?-i:(?:{first_words})[\wåäö.]*)(?:[ \t][\wåäö.]+){{0,3}}[ \t]*:))", re.IGNORECASE)


# Labels of a metadata block that are not themselves reported when empty, but may
# follow an empty one on a joined line ("Dnr: Version: 2").
_OTHER_LABEL_STARTS = ("Version", "Dokumenttyp", "Dokumentnamn", "Ersätter", "Handläggare", "Ansvarig", "Reviderad",
                       "Senast", "Nästa", "Uppföljning", "Målgrupp", "Kontaktperson", "Datum", "Beslut")


class Placeholders(Patterns, Kind[PlaceholderOptions]):
    name = "platshållare"
    description = ("platshållare som står kvar (mönster) och dokumentuppgifter utan värde "
                   "(”Dnr:” utan något efter)")
    fields = {**Patterns.fields,
              "empty_labels": {"type": "object", "additionalProperties": False,
                               "required": ["labels", "förklaring"],
                               "properties": {"labels": WORDS, "förklaring": {"type": "string", "minLength": 1}}}}
    required: ClassVar[tuple[str, ...]] = ("patterns", "empty_labels")

    def prepare(self, entry: dict, fail: Fail) -> PlaceholderOptions:
        labels = entry["empty_labels"]
        return PlaceholderOptions(self._patterns(entry, fail), tuple(labels["labels"]), labels["förklaring"])

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        hits = super().check(rule, texts, facts)
        options = cast(PlaceholderOptions, self.options(rule))
        labels = options.labels
        explanation = options.label_explanation
        regex = _empty_label_regex(labels)
        for unit in texts.units:
            if ":" not in unit.text:      # every empty label has its colon; most units have none
                continue
            for match in regex.finditer(unit.text):
                start = match.start()
                # A label opens its unit or follows another label in a metadata line;
                # elsewhere "Antagen:" may be a sentence leading into a list.
                if not unit.text[:start].strip() or ":" in unit.text[:start]:
                    hits.append(make_hit(rule, unit, start, match.end(), förklaring=explanation))
        # A metadata table row with an empty value cell reads as the bare label
        # (with a colon the regex above has found it).
        lowered = {label.lower() for label in labels}
        for unit in texts.units:
            if unit.kind in ("tabell", "metadata") and " ".join(unit.text.lower().split()) in lowered:
                hits.append(make_hit(rule, unit, 0, len(unit.text.rstrip()), förklaring=explanation))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        labels = cast(PlaceholderOptions, self.options(rule)).labels
        return super().details(rule) + ("uppgifter utan värde: " + ", ".join(f"”{label}:”" for label in labels),)
