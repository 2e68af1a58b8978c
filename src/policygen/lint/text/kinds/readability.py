"""Kinds about how hard the text is to read: `dubbel_passiv`, `meningslängd`, `lix`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policygen.lint.text.kinds.base import (
    WORDS,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    TextUnit,
    make_hit,
)
from policygen.nlp.sentences import Sentence


@cache
def _double_passive_regex(verbs: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternatives})\s+(?:att\s+)?(\w{{3,}}(?:as|ås))(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class PassiveOptions:
    verbs: tuple[str, ...]          # the first, passive verb ("föreslås", "planeras")
    not_passive: frozenset[str]     # words ending in -s that are not passive verbs


@dataclass(frozen=True)
class LimitOptions:
    limit: int                      # the default; policygen.yaml can set another


@dataclass(frozen=True)
class Band:
    up_to: float
    name: str


@dataclass(frozen=True)
class LixOptions:
    limit: int
    bands: tuple[Band, ...]


class DoublePassive(Kind[PassiveOptions]):
    name = "dubbel_passiv"
    description = "ett passivt verb följt av ännu ett passivt verb (”föreslås inrättas”, ”planeras att genomföras”)"
    fields = {"verbs": WORDS, "not_passive": WORDS}
    required = ("verbs",)

    def prepare(self, entry: dict, fail: Fail) -> PassiveOptions:
        return PassiveOptions(tuple(entry["verbs"]), frozenset(w.lower() for w in entry.get("not_passive", [])))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        regex = _double_passive_regex(options.verbs)
        return [make_hit(rule, unit, start, end) for unit, start, end, match in texts.running.finditer(regex)
                if match.group(1).lower() not in options.not_passive]

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return ("första verbet: " + ", ".join(self.options(rule).verbs),)


# "Dnr: KS 2024/12  Antagen: 2024-03-18": label–value pairs, not a sentence.
_LABEL_VALUE = re.compile(r"(?:^|\s)[A-ZÅÄÖ][\wåäö ]{0,30}:\s")


def _is_sentence(sentence: Sentence) -> bool:
    text = sentence.text.rstrip()
    return text.endswith((".", "!", "?", ":", ";", "”", '"', ")")) or not _LABEL_VALUE.search(text)


class SentenceLength(Kind[LimitOptions]):
    name = "meningslängd"
    description = "meningar i löptext med fler ord än gränsen (punktlistor och dokumentuppgifter räknas inte)"
    fields = {"limit": {"type": "integer", "minimum": 1}}
    required = ("limit",)
    message_fields = frozenset({"antal", "gräns"})

    def prepare(self, entry: dict, fail: Fail) -> LimitOptions:
        return LimitOptions(entry["limit"])

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        limit = facts.limits.get(self.name, self.options(rule).limit)
        hits = []
        # Only paragraphs: a list item is a fragment of its lead-in, a table row or a
        # metadata line is not a sentence, and counting them gives noise.
        for unit in texts.units:
            if unit.kind != "stycke":
                continue
            for sentence in unit.sentences:
                count = len(sentence.running_words)
                if count > limit and _is_sentence(sentence):
                    hits.append(make_hit(rule, unit, sentence.start, sentence.end, antal=count, gräns=limit))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return (f"gräns: {self.options(rule).limit} (ändras i policygen.yaml under gränser: {self.name})",)


def lix(sentences: list[Sentence]) -> float | None:
    words = [w for s in sentences for w in s.running_words]
    if not words:
        return None
    long_words = sum(1 for w in words if len(w) > 6)
    return len(words) / len(sentences) + 100 * long_words / len(words)


class Lix(Kind[LixOptions]):
    name = "lix"
    description = ("läsbarhetsindex för hela dokumentet och för varje avsnitt med minst 50 ord; "
                   "ett fynd bara där det är över gränsen")
    fields = {
        "limit": {"type": "integer", "minimum": 1},
        "bands": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["upp_till", "namn"],
            "properties": {"upp_till": {"type": "number"}, "namn": {"type": "string"}}}},
    }
    required = ("limit", "bands")
    message_fields = frozenset({"del", "lix", "nivå", "gräns"})
    MIN_SECTION_WORDS = 50       # below this a section's LIX says more about chance than about the text

    def prepare(self, entry: dict, fail: Fail) -> LixOptions:
        return LixOptions(entry["limit"], tuple(Band(b["upp_till"], b["namn"]) for b in entry["bands"]))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        units = texts.units
        options = self.options(rule)
        limit = facts.limits.get(self.name, options.limit)
        bands = options.bands
        prose = [u for u in units if u.kind in ("stycke", "punkt") and u.sentences]
        if not prose:
            return []
        sections: dict[str, list[TextUnit]] = {}
        for unit in prose:
            sections.setdefault(unit.location.section or "", []).append(unit)
        headings = {u.text: u for u in units if u.kind == "rubrik"}

        def finding(part: str, members: list[TextUnit], at: TextUnit) -> TextHit | None:
            value = lix([s for u in members for s in u.sentences])
            # Judged on the rounded value the message shows: "LIX 60 (gränsen är 60)" is no finding.
            if value is None or round(value) <= limit:
                return None
            shown = round(value)
            band = next((b.name for b in bands if shown <= b.up_to), bands[-1].name)
            return make_hit(rule, at, 0, len(at.text), lix=shown, nivå=band, gräns=limit, **{"del": part})

        hits = []
        title = next((u for u in units if u.kind == "rubrik"), prose[0])
        hits.append(finding("Hela dokumentet", prose, title))
        for section, members in sections.items():
            words = sum(len(s.running_words) for u in members for s in u.sentences)
            if section and section in headings and words >= self.MIN_SECTION_WORDS and len(sections) > 1:
                hits.append(finding(f"Avsnittet ”{section}”", members, headings[section]))
        return [h for h in hits if h is not None]

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return (f"gräns: {self.options(rule).limit} (ändras i policygen.yaml under gränser: {self.name})",)
