"""The checks behind the text rules: one function per kind of rule, each
turning the draft's text units into hits with exact character ranges."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Callable, Iterable

from policygen.kommuner import Kommun
from policygen.kommuner import kommun_mentions
from policygen.lint.textrules import TextRule
from policygen.model import Location
from policygen.nlp import Sentence

_NUMBER_WITH_UNIT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d{4,7})\s*(?:kr\b|kronor\b|SEK\b|:-)", re.IGNORECASE)


@dataclass(frozen=True)
class TextUnit:
    text: str
    location: Location
    kind: str                          # rubrik | stycke | punkt | tabell | fotnot
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class TextHit:
    rule: TextRule
    location: Location
    start: int
    end: int
    evidence: str
    message: str
    severity: str
    replacement: str | None
    context: str


@dataclass(frozen=True)
class DraftFacts:
    """What the checks need to know about the draft as a whole."""
    doc_type: str
    own_kommun: Kommun | None
    title_location: Location
    limits: dict[str, int]            # kind of rule (meningslängd, lix) → limit from the configuration


def run_text_rules(rules: Iterable[TextRule], units: list[TextUnit], facts: DraftFacts) -> list[TextHit]:
    texts = _Texts(units)
    hits: list[TextHit] = []
    for rule in rules:
        hits += _CHECKS[rule.kind](rule, texts, facts)
    return hits


def _hit(rule: TextRule, unit: TextUnit, start: int, end: int, replacement: str | None = None,
         severity: str | None = None, **values) -> TextHit:
    evidence = unit.text[start:end]
    fields = {"träff": evidence, "ersättning": replacement or "", **values}
    return TextHit(rule, unit.location, start, end, evidence, rule.message.format_map(fields),
                   severity or rule.severity, replacement, unit.text)


class _Joined:
    """All units as one string, so each regex runs once per draft instead of once
    per paragraph. NUL separates units: neither \\s nor \\w matches it, so no
    match crosses from one paragraph into the next."""

    def __init__(self, units: list[TextUnit]) -> None:
        self.units = units
        self.text = "\0".join(u.text for u in units)
        self.lowered = self.text.lower()
        self.starts = []
        offset = 0
        for unit in units:
            self.starts.append(offset)
            offset += len(unit.text) + 1

    def finditer(self, regex: re.Pattern) -> Iterable[tuple[TextUnit, int, int, re.Match]]:
        for match in regex.finditer(self.text):
            index = bisect.bisect_right(self.starts, match.start()) - 1
            offset = self.starts[index]
            yield self.units[index], match.start() - offset, match.end() - offset, match


class _Texts:
    """The draft's units and their joined views, built once per draft and
    shared by every rule."""

    def __init__(self, units: list[TextUnit]) -> None:
        self.units = units

    @cached_property
    def everything(self) -> _Joined:
        return _Joined(self.units)

    @cached_property
    def running(self) -> _Joined:
        """Without footnotes: sources are cited, not written, by the draft."""
        return _Joined([u for u in self.units if u.kind != "fotnot"])

    @cached_property
    def prose(self) -> _Joined:
        """Running text without headings."""
        return _Joined([u for u in self.units if u.kind not in ("fotnot", "rubrik")])


def _match_case(replacement: str, found: str) -> str:
    if found[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


@cache
def _word_regex(words: tuple[str, ...]) -> re.Pattern:
    alternatives = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in alternatives)
    return re.compile(rf"(?<![\w/-])(?:{body})(?![\w/-])", re.IGNORECASE)


def _check_words(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    table = {" ".join(k.lower().split()): v for k, v in rule.options["words"].items()}
    joined = texts.running
    # A substring test is far cheaper than a regex pass; most drafts contain few of the words.
    present = tuple(word for word in table if word.split()[0] in joined.lowered)
    if not present:
        return []
    hits = []
    for unit, start, end, match in joined.finditer(_word_regex(present)):
        replacement = table.get(" ".join(match.group(0).lower().split()))
        hits.append(_hit(rule, unit, start, end, _match_case(replacement, match.group(0)) if replacement else None))
    return hits


@cache
def _double_passive_regex(verbs: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternatives})\s+(?:att\s+)?(\w{{3,}}(?:as|ås))(?!\w)", re.IGNORECASE)


def _check_double_passive(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    regex = _double_passive_regex(tuple(rule.options["verbs"]))
    exceptions = {w.lower() for w in rule.options.get("not_passive", [])}
    return [_hit(rule, unit, start, end) for unit, start, end, match in texts.running.finditer(regex)
            if match.group(1).lower() not in exceptions]


def _check_sentence_length(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    limit = facts.limits.get(rule.kind, rule.options["limit"])
    hits = []
    for unit in texts.units:
        if unit.kind not in ("stycke", "punkt"):
            continue
        for sentence in unit.sentences:
            count = len(sentence.running_words)
            if count > limit:
                hits.append(_hit(rule, unit, sentence.start, sentence.end, antal=count, gräns=limit))
    return hits


def lix(sentences: list[Sentence]) -> float | None:
    words = [w for s in sentences for w in s.running_words]
    if not words:
        return None
    long_words = sum(1 for w in words if len(w) > 6)
    return len(words) / len(sentences) + 100 * long_words / len(words)


def _check_lix(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    units = texts.units
    limit = facts.limits.get(rule.kind, rule.options["limit"])
    bands = rule.options["bands"]
    prose = [u for u in units if u.kind in ("stycke", "punkt") and u.sentences]
    sections: dict[str, list[TextUnit]] = {}
    for unit in prose:
        sections.setdefault(unit.location.section or "", []).append(unit)
    headings = {u.text: u for u in units if u.kind == "rubrik"}

    def finding(part: str, members: list[TextUnit], at: TextUnit) -> TextHit | None:
        value = lix([s for u in members for s in u.sentences])
        if value is None:
            return None
        band = next((b["namn"] for b in bands if value <= b["upp_till"]), bands[-1]["namn"])
        severity = "warning" if value > limit else rule.severity
        return _hit(rule, at, 0, len(at.text), severity=severity, lix=round(value), nivå=band, **{"del": part})

    hits = []
    title = next((u for u in units if u.kind == "rubrik"), prose[0] if prose else None)
    if title is not None and prose:
        hits.append(finding("Hela dokumentet", prose, title))
    for section, members in sections.items():
        words = sum(len(s.running_words) for u in members for s in u.sentences)
        if section and section in headings and words >= 50 and len(sections) > 1:
            hit = finding(f"Avsnittet ”{section}”", members, headings[section])
            if hit is not None:
                hits.append(hit)
    return [h for h in hits if h is not None]


@cache
def _combined(patterns: tuple) -> re.Pattern:
    # One alternation, one pass: at each place the first listed pattern wins,
    # so "LOU 2007:1092" is one mistake, not two.
    parts = []
    for index, pattern in enumerate(patterns):
        body = pattern.regex.pattern
        if pattern.regex.flags & re.IGNORECASE:
            body = f"(?i:{body})"
        parts.append(f"(?P<p{index}>{body})")
    return re.compile("|".join(parts))


def _check_patterns(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    hits = []
    for unit, start, end, match in texts.everything.finditer(_combined(rule.patterns)):
        pattern = rule.patterns[int(match.lastgroup[1:])]
        hits.append(_hit(rule, unit, start, end, pattern.replacement, förklaring=pattern.explanation))
    return hits


def _check_amounts(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    stale = {item["belopp"]: item["period"] for item in rule.options["amounts"]}
    hits = []
    for unit, start, end, match in texts.everything.finditer(_NUMBER_WITH_UNIT):
        amount = int(re.sub(r"\D", "", match.group(1)))
        if amount in stale:
            hits.append(_hit(rule, unit, start, end, "den gräns som gäller enligt LOU",
                             period=stale[amount], nu=rule.options["current"]))
    return hits


def _check_other_kommun(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    own = facts.own_kommun
    if own is None:
        return []
    verbs = {w.lower() for w in rule.options["verbs"]}
    nouns = {w.lower() for w in rule.options["own_nouns"]}
    partners = {w.lower() for w in rule.options["partner_words"]}
    hits = []
    for unit in texts.running.units:
        for mention in kommun_mentions(unit.text):
            if mention.kommun == own:
                continue
            before = unit.text[:mention.start].split()[-2:]
            if any(w.lower().strip(",;:") in partners for w in before):
                continue
            after = unit.text[mention.end:].split()
            following = after[0].lower().strip(",.;:") if after else ""
            acting = (following in nouns) if mention.genitive else (following in verbs)
            if acting or unit.kind == "rubrik" and unit.location.paragraph == facts.title_location.paragraph:
                hits.append(_hit(rule, unit, mention.start, mention.end + (len(after[0]) + 1 if after else 0),
                                 egen=own.officiellt_namn))
    return hits


def _check_doc_type(rule: TextRule, texts: _Texts, facts: DraftFacts) -> list[TextHit]:
    words = rule.options["self_words"]
    joined = texts.prose
    counts = {doc_type: list(joined.finditer(_word_regex(tuple(forms)))) if any(
        form.split()[0].lower() in joined.lowered for form in forms) else [] for doc_type, forms in words.items()}
    own = counts.get(facts.doc_type, [])
    hits = []
    for other, found in counts.items():
        if other == facts.doc_type or len(found) < 2 or len(found) <= len(own):
            continue
        unit, start, end, _ = found[0]
        own_word = words.get(facts.doc_type, [facts.doc_type])[0]
        hits.append(_hit(rule, unit, start, end, own_word, typ=facts.doc_type,
                         antal=len(found), eget=own_word, eget_antal=len(own)))
    return hits


_CHECKS: dict[str, Callable[[TextRule, _Texts, DraftFacts], list[TextHit]]] = {
    "ord": _check_words,
    "dubbel_passiv": _check_double_passive,
    "meningslängd": _check_sentence_length,
    "lix": _check_lix,
    "mönster": _check_patterns,
    "belopp": _check_amounts,
    "annan_kommun": _check_other_kommun,
    "dokumenttyp": _check_doc_type,
}
