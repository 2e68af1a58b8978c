"""The fact registry (lint_rules/faktaregister.yaml): laws, amounts with their
periods, paragraph numbers and legal rules, each with its sources and the date
a person last checked it. Validated when loaded; a mistake names file and line.

The registry answers questions *as of a date*: which direct-award limit applied
on a day, whether a law was in force, where a subject stands in today's law.
The linter compares a draft's claims with it; the generator takes its amounts,
law names and footnote sources from it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.infra.resources import lint_rules_dir
from policygen.infra.validation import load_validated
from policygen.infra.yamlio import locate

REGISTRY_FILE = "faktaregister.yaml"

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_IDS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
_TEXT = {"type": "string", "minLength": 1}
_COMMON = {"id": _TEXT, "sources": _IDS, "checked": _DATE, "from": _DATE, "to": _DATE,
           "can_change": {"type": "boolean"}, "name": _TEXT}
REGISTRY_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["sources", "laws", "limits", "paragraphs", "rules"],
    "properties": {
        "sources": {"type": "object", "minProperties": 1, "additionalProperties": {
            "type": "object", "additionalProperties": False, "required": ["name", "url", "read"],
            "properties": {"name": _TEXT, "url": {"type": "string", "pattern": "^https://"}, "read": _DATE}}},
        "laws": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "sfs", "title", "sources", "checked"],
            "properties": {**_COMMON, "sfs": {"type": "string", "pattern": r"^\d{4}:\d{1,4}$"}, "title": _TEXT,
                           "other_titles": {"type": "array", "items": _TEXT}, "short": _TEXT,
                           "replaced_by": _TEXT}}},
        "limits": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "law", "scope", "name", "periods", "sources", "checked"],
            "properties": {**_COMMON, "law": _TEXT, "scope": {"enum": ["direktupphandling", "bilaga2", "troskelvarde"]},
                           "periods": {"type": "array", "minItems": 1, "items": {
                               "type": "object", "additionalProperties": False, "required": ["amount"],
                               "properties": {"amount": {"type": ["integer", "null"], "minimum": 1},
                                              "euro": {"type": "integer", "minimum": 1},
                                              "percent_of_threshold": {"type": "integer", "minimum": 1,
                                                                       "maximum": 100},
                                              "from": _DATE, "to": _DATE}}}}}},
        "paragraphs": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "law", "ref", "subject", "words", "sources", "checked"],
            "properties": {**_COMMON, "law": _TEXT, "ref": _TEXT, "subject": _TEXT,
                           "words": {"type": "array", "minItems": 1, "items": _TEXT},
                           "modal": {"enum": ["ska", "bör", "får"]},
                           "duties": {"type": "array", "minItems": 1, "items": _TEXT},
                           "only_when": {"type": "array", "minItems": 1, "items": _TEXT},
                           "condition": _TEXT,
                           "named_by": {"type": "array", "minItems": 1, "items": _TEXT},
                           "narrows": {"type": "array", "minItems": 1, "items": _TEXT},
                           "also": {"type": "array", "minItems": 1, "items": _TEXT},
                           "old": {"type": "array", "items": {
                               "type": "object", "additionalProperties": False, "required": ["law", "ref"],
                               "properties": {"law": _TEXT, "ref": _TEXT}}}}}},
        "rules": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "name", "statement", "sources", "checked"],
            "properties": {**_COMMON, "law": _TEXT, "ref": _TEXT, "statement": _TEXT,
                           "share_percent": {"type": "integer", "minimum": 1, "maximum": 100},
                           "counted_over": _TEXT, "modal": {"enum": ["ska", "bör", "får"]},
                           "amount": {"type": "integer", "minimum": 1}, "decided": _DATE,
                           # What a document lists, by name: a strategy's focus areas, a definition's marks.
                           "focus_areas": {"type": "array", "minItems": 1, "items": _TEXT},
                           "characteristics": {"type": "array", "minItems": 1, "items": _TEXT},
                           # Who made it and when, for a claim about its origin ("myntades 2010 av …").
                           "by": _TEXT, "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
                           "reference": _TEXT,
                           # The body that does it ("Kammarkollegiet" keeps the register).
                           "responsible": _TEXT,
                           # A publication's title, and the titles of its parts by number.
                           "title": _TEXT, "parts": {"type": "object", "minProperties": 1, "additionalProperties": _TEXT,
                                                     "propertyNames": {"pattern": "^[0-9]+$"}},
                           # How many there are ("kommuner": 290).
                           "counts": {"type": "object", "minProperties": 1, "additionalProperties": {"oneOf": [
                               {"type": "integer", "minimum": 1},
                               # the right number first, then other counts that are also right
                               {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 1}}]}}}}},
    },
}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Period:
    """From and to, both inclusive; None is open (no known start, or still in force)."""
    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, first: date, last: date) -> bool:
        return (self.start is None or self.start <= last) and (self.end is None or first <= self.end)

    def describe(self) -> str:
        """Swedish, as a message quotes it: "2020-01-01 – 2021-12-31", "från 2022-02-01"."""
        if self.start and self.end:
            return f"{self.start.isoformat()} – {self.end.isoformat()}"
        if self.start:
            return f"från {self.start.isoformat()}"
        if self.end:
            return f"till {self.end.isoformat()}"
        return "utan känd period"


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str
    read: date

    def cite(self) -> str:
        return f"{self.name}, {self.url} (läst {self.read.isoformat()})"


@dataclass(frozen=True)
class Fact:
    """What every entry shares: its id, its sources and when it was last checked."""
    id: str
    sources: tuple[Source, ...]
    checked: date
    can_change: bool

    def source_names(self) -> str:
        return "; ".join(source.name for source in self.sources)


@dataclass(frozen=True)
class Law(Fact):
    sfs: str
    title: str
    other_titles: tuple[str, ...]
    short: str | None
    period: Period
    replaced_by: str | None

    def without_titles(self, lowered: str) -> str:
        """`lowered` without this law's names: the words of a title ("lag om registrering av
        idéburna organisationer") are no subject the sentence speaks of."""
        names = {title.lower() for title in (self.title, *self.other_titles)}
        # Cited with the number between ("lagen (2022:900) om registrering av …"): the title's "om …" part.
        names |= {name.split(" ", 1)[1] for name in list(names) if name.startswith("lag om ")}
        for name in sorted(names, key=len, reverse=True):
            lowered = lowered.replace(name, " ")
        return lowered

    def label(self) -> str:
        """A short name for a message: "LOU", "kommunallagen", "lagen (2022:900)"."""
        one_word = [title for title in self.other_titles if " " not in title]
        if one_word:
            return one_word[0]
        return self.short or f"lagen ({self.sfs})"

    def citation(self) -> str:
        """How a document cites it: "lagen (2016:1145) om offentlig upphandling"."""
        words = self.title.split(" ", 1)
        if words[0] == "lag" and len(words) == 2:
            return f"lagen ({self.sfs}) {words[1]}"
        return f"{self.title} ({self.sfs})"

    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.other_titles)


# A paragraph reference as drafts write it: "19 a kap.", "4 kap. 18 §", "2 kap. 8§".
# "4 kap. 18 §", "19 a kap.", and in a law without chapters (språklagen, lag 2022:900) "11 §".
_REF = re.compile(r"(?P<chapter>\d{1,2})\s*(?P<cletter>[a-z])?\s*kap(?:\.|itlet)?(?:\s*(?P<par>\d{1,3})\s*(?P<pletter>[a-z])?\s*§)?"
                  r"|(?<![\d§])(?P<lone>\d{1,3})\s*(?P<lletter>[a-z](?![a-zåäö]))?\s*§", re.IGNORECASE)


@dataclass(frozen=True)
class Ref:
    chapter: str | None     # "19 a"; None in a law without chapters
    paragraph: str | None   # "3", "25 a", or None for a whole chapter

    def text(self) -> str:
        if self.chapter is None:
            return f"{self.paragraph} §"
        return f"{self.chapter} kap." + (f" {self.paragraph} §" if self.paragraph else "")

    def within(self, other: Ref) -> bool:
        """Whether this reference is `other` or a paragraph inside the chapter `other` names."""
        return self.chapter == other.chapter and (other.paragraph is None or self.paragraph == other.paragraph)

    def overlaps(self, other: Ref) -> bool:
        """Whether the two can mean the same place: one names the other's chapter, or both the same paragraph."""
        return self.chapter == other.chapter and (None in (self.paragraph, other.paragraph)
                                                  or self.paragraph == other.paragraph)


def parse_ref(text: str) -> Ref | None:
    match = _REF.search(text)
    if match is None:
        return None
    if match["lone"]:
        return Ref(None, match["lone"] + (f" {match['lletter'].lower()}" if match["lletter"] else ""))
    chapter = match["chapter"] + (f" {match['cletter'].lower()}" if match["cletter"] else "")
    paragraph = match["par"] + (f" {match['pletter'].lower()}" if match["pletter"] else "") if match["par"] else None
    return Ref(chapter, paragraph)


@dataclass(frozen=True)
class Amount:
    amount: int | None      # kronor; None where the value in kronor is not verified
    euro: int | None
    period: Period
    percent_of_threshold: int | None = None   # how the law defined the limit in the period, if as a share

    def value(self, euro: bool = False) -> int | None:
        return self.euro if euro else self.amount

    def shown(self) -> str:
        if self.amount is not None:
            return f"{self.amount:,} kronor".replace(",", " ")
        return f"{self.euro:,} euro".replace(",", " ") if self.euro else "okänt belopp"


@dataclass(frozen=True)
class Limit(Fact):
    law: str
    scope: str
    name: str
    amounts: tuple[Amount, ...]

    def at(self, day: date) -> Amount | None:
        return next((a for a in self.amounts if a.period.covers(day)), None)

    def close_to(self, value: float, tolerance: float, euro: bool = False) -> list[Amount]:
        """The amounts (any period) within `tolerance` (a share) of `value`, in kronor or euro."""
        return [a for a in self.amounts if (amount := a.euro if euro else a.amount) is not None
                and abs(value - amount) <= tolerance * amount]


@dataclass(frozen=True)
class Paragraph(Fact):
    law: str
    ref: Ref
    subject: str
    words: tuple[str, ...]
    old: tuple[tuple[str, Ref], ...]     # (law id, reference) in a law this one replaced
    period: Period
    modal: str | None = None             # what the paragraph says of the subject: ska, bör or får
    only_when: tuple[str, ...] = ()      # a "ska" holds only where these words apply (above the thresholds)
    duties: tuple[str, ...] = ()         # the paragraph's own requirements: a "ska" about these is right
    condition: str | None = None         # where a conditional "ska" holds, in words for a message
    named_by: tuple[str, ...] = ()       # words that by themselves name the duty ("dokumentationsplikt"):
                                         # a sentence that denies the duty is read with these, not the broader `words`
    narrows: tuple[str, ...] = ()        # paragraphs whose subject this one narrows: with words of both, this one is meant
    also: tuple[Ref, ...] = ()           # further paragraphs where the same subject is written (17 kap. 2–5 §§)

    def written_at(self, cited: Ref) -> bool:
        """Whether `cited` is a place where this subject stands (its own reference or one of `also`)."""
        return any(cited.within(place) for place in (self.ref, *self.also))


@dataclass(frozen=True)
class LegalRule(Fact):
    name: str
    statement: str
    law: str | None
    ref: Ref | None
    period: Period
    values: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Registry:
    path: Path
    sources: dict[str, Source]
    laws: tuple[Law, ...]
    limits: tuple[Limit, ...]
    paragraphs: tuple[Paragraph, ...]
    rules: tuple[LegalRule, ...]

    def law(self, law_id: str) -> Law:
        return next(law for law in self.laws if law.id == law_id)

    def law_by_sfs(self, sfs: str) -> Law | None:
        return next((law for law in self.laws if law.sfs == sfs), None)

    def current_law(self, law_id: str, day: date) -> Law:
        """The law in force on `day` that `law_id` became through its replacements."""
        law = self.law(law_id)
        while law.replaced_by and not law.period.covers(day):
            law = self.law(law.replaced_by)
        return law

    def limit(self, limit_id: str) -> Limit:
        return next(limit for limit in self.limits if limit.id == limit_id)

    def rule(self, rule_id: str) -> LegalRule:
        return next(rule for rule in self.rules if rule.id == rule_id)

    def facts(self) -> tuple[Fact, ...]:
        return (*self.laws, *self.limits, *self.paragraphs, *self.rules)

    def not_checked_since(self, day: date) -> list[Fact]:
        """Facts that can change and were last checked before `day`."""
        return [fact for fact in self.facts() if fact.can_change and fact.checked < day]


def load_registry(path: Path | None = None) -> Registry:
    return _load((path or lint_rules_dir() / REGISTRY_FILE).resolve())


@cache
def _load(path: Path) -> Registry:
    data, root = load_validated(path, "faktaregistret", REGISTRY_SCHEMA,
                                "faktaregistret har sources:, laws:, limits:, paragraphs: och rules:")

    def fail(message: str, key_path: list[Any], hint: str) -> UserError:
        line, column = locate(root, key_path)
        return UserError(message, file=path, line=line, column=column, hint=hint)

    sources = {key: Source(key, value["name"], value["url"], date.fromisoformat(value["read"]))
               for key, value in data["sources"].items()}
    seen: set[str] = set()

    def common(entry: dict[str, Any], key_path: list[Any]) -> dict[str, Any]:
        if entry["id"] in seen:
            raise fail(f"id:t {entry['id']} används två gånger", [*key_path, "id"], "ge varje uppgift ett eget id")
        seen.add(entry["id"])
        unknown = [s for s in entry["sources"] if s not in sources]
        if unknown:
            raise fail(f"källan {unknown[0]} finns inte under sources:", [*key_path, "sources"],
                       "lägg till källan under sources: eller rätta id:t")
        start, end = _day(entry.get("from")), _day(entry.get("to"))
        if start and end and end < start:
            raise fail("perioden slutar innan den börjar", [*key_path, "to"], "rätta from: eller to:")
        return {"id": entry["id"], "sources": tuple(sources[s] for s in entry["sources"]),
                "checked": date.fromisoformat(entry["checked"]), "can_change": entry.get("can_change", False)}

    laws = tuple(Law(**common(e, ["laws", i]), sfs=e["sfs"], title=e["title"],
                     other_titles=tuple(e.get("other_titles", ())), short=e.get("short"),
                     period=Period(_day(e.get("from")), _day(e.get("to"))), replaced_by=e.get("replaced_by"))
                 for i, e in enumerate(data["laws"]))
    law_ids = {law.id for law in laws}

    def known_law(law_id: str | None, key_path: list[Any]) -> None:
        if law_id is not None and law_id not in law_ids:
            raise fail(f"lagen {law_id} finns inte under laws:", key_path, "använd ett id ur laws:")

    def ref(text: str, key_path: list[Any]) -> Ref:
        parsed = parse_ref(text)
        if parsed is None:
            raise fail(f"”{text}” är ingen paragrafhänvisning", key_path, "skriv t.ex. 4 kap. 18 §, 19 a kap. eller (i en lag utan kapitel) 11 §")
        return parsed

    for index, law in enumerate(laws):
        known_law(law.replaced_by, ["laws", index, "replaced_by"])
    limits = []
    for index, entry in enumerate(data["limits"]):
        known_law(entry["law"], ["limits", index, "law"])
        amounts = tuple(Amount(p["amount"], p.get("euro"), Period(_day(p.get("from")), _day(p.get("to"))),
                               p.get("percent_of_threshold"))
                        for p in entry["periods"])
        for number, (earlier, later) in enumerate(zip(amounts, amounts[1:]), start=1):
            if earlier.period.end is None or later.period.start is None or later.period.start <= earlier.period.end:
                raise fail("perioderna följer inte på varandra", ["limits", index, "periods", number],
                           "ge varje period ett slut (to:) före nästa periods början (from:)")
        limits.append(Limit(**common(entry, ["limits", index]), law=entry["law"], scope=entry["scope"],
                            name=entry["name"], amounts=amounts))
    paragraphs = []
    for index, entry in enumerate(data["paragraphs"]):
        known_law(entry["law"], ["paragraphs", index, "law"])
        old = []
        for number, item in enumerate(entry.get("old", [])):
            known_law(item["law"], ["paragraphs", index, "old", number, "law"])
            old.append((item["law"], ref(item["ref"], ["paragraphs", index, "old", number, "ref"])))
        paragraphs.append(Paragraph(**common(entry, ["paragraphs", index]), law=entry["law"],
                                    ref=ref(entry["ref"], ["paragraphs", index, "ref"]), subject=entry["subject"],
                                    words=tuple(w.lower() for w in entry["words"]), old=tuple(old),
                                    period=Period(_day(entry.get("from")), _day(entry.get("to"))),
                                    modal=entry.get("modal"),
                                    only_when=tuple(w.lower() for w in entry.get("only_when", ())),
                                    duties=tuple(w.lower() for w in entry.get("duties", ())),
                                    condition=entry.get("condition"),
                                    named_by=tuple(w.lower() for w in entry.get("named_by", ())),
                                    narrows=tuple(entry.get("narrows", ())),
                                    also=tuple(ref(text, ["paragraphs", index, "also", number])
                                               for number, text in enumerate(entry.get("also", ())))))
    paragraph_ids = {p.id for p in paragraphs}
    for index, paragraph in enumerate(paragraphs):
        for number, other in enumerate(paragraph.narrows):
            if other not in paragraph_ids:
                raise fail(f"paragrafen {other} finns inte under paragraphs:", ["paragraphs", index, "narrows", number],
                           "använd ett id ur paragraphs:")
    rules = []
    for index, entry in enumerate(data["rules"]):
        known_law(entry.get("law"), ["rules", index, "law"])
        values = {key: entry[key] for key in ("share_percent", "counted_over", "modal", "amount", "decided",
                                                      "focus_areas", "characteristics", "by", "year", "reference",
                                                      "responsible", "counts", "title", "parts")
                  if key in entry}
        rules.append(LegalRule(**common(entry, ["rules", index]), name=entry["name"], statement=" ".join(entry["statement"].split()),
                               law=entry.get("law"),
                               ref=ref(entry["ref"], ["rules", index, "ref"]) if "ref" in entry else None,
                               period=Period(_day(entry.get("from")), _day(entry.get("to"))), values=values))
    return Registry(path, sources, laws, tuple(limits), tuple(paragraphs), tuple(rules))
