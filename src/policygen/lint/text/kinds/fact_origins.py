"""Kind `tidpunkt`: when something was made and by whom – a report, a
recommendation, a term, a law's entry into force – compared with the fact
registry ("SOU 2019:56 presenterades i december 2021", "Begreppet IOP myntades
av SKR", "Lagen (2022:900) trädde i kraft den 1 juli 2022").

A claim is an event word ("presenterades", "antogs", "trädde i kraft",
"myntades") after the item's name, with a time or an author ("av …") after the
event word. A time is judged at the precision it is written: a year against
the year, a month and year against both, a full date against the day. An
author is judged against the registry's `by`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from policygen.facts.registry import Registry, load_registry
from policygen.lint.text.claims import sentences
from policygen.lint.text.kinds.base import (
    REGEXES,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    compile_alternatives,
    make_hit,
)
from policygen.lint.text.kinds.dates import WRITTEN_TIME, differs_as_written
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields


@dataclass(frozen=True)
class Item:
    fact: str                 # the registry entry the claim is compared with (a rule, or a law)
    names: re.Pattern         # how drafts name it
    when: date | None         # its date, when the registry has the day
    year: int | None          # its year
    by: str | None            # who made it
    is_law: bool


@dataclass(frozen=True)
class OriginOptions:
    items: tuple[Item, ...]
    events: re.Pattern                       # "presenterades", "antogs", "trädde i kraft"
    actors: tuple[tuple[str, re.Pattern], ...]   # an author's name in the registry → how drafts write it




# A name used as a reference, not as the subject: "enligt LOU", "med stöd av kommunallagen".
_REFERENCE = re.compile(r"\b(?:enligt|i|med\s+stöd\s+av|utifrån|inom|av)\s+(?:\w+\s+)?$", re.IGNORECASE)
_OWN_DOCUMENT = re.compile(r"\b(?:policy\w*|riktlinje\w*|\w*plan\w*|program\w*|dokument\w*|avtal\w*|"
                           r"överenskommelse\w*|strategi\w*|beslut\w*)\b", re.IGNORECASE)


class FactOrigins(Kind[OriginOptions]):
    name = "tidpunkt"
    description = ("när något togs fram och av vem – ett betänkande, en rekommendation, ett begrepp, när en lag "
                   "trädde i kraft – jämfört med faktaregistret, med den precision texten anger")
    fields = {"items": {"type": "array", "minItems": 1, "items": {
                  "type": "object", "additionalProperties": False, "required": ["names"],
                  "oneOf": [{"required": ["fact"]}, {"required": ["law"]}],
                  "properties": {"fact": {"type": "string", "minLength": 1}, "law": {"type": "string", "minLength": 1},
                                 "names": REGEXES}}},
              "events": REGEXES,
              "actors": {"type": "object", "minProperties": 1, "additionalProperties": REGEXES}}
    required = ("items", "events", "actors")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> OriginOptions:
        registry = load_registry()
        items = []
        for index, item in enumerate(entry["items"]):
            key = ["items", index]
            names = compile_alternatives(item["names"], fail, [*key, "names"])
            if "law" in item:
                if item["law"] not in {law.id for law in registry.laws}:
                    raise fail(f"lagen {item['law']} finns inte i faktaregistret", [*key, "law"],
                               "använd ett id ur laws: i lint_rules/faktaregister.yaml")
                start = registry.law(item["law"]).period.start
                items.append(Item(item["law"], names, start, start.year if start else None, None, True))
                continue
            if item["fact"] not in {rule.id for rule in registry.rules}:
                raise fail(f"uppgiften {item['fact']} finns inte bland faktaregistrets regler", [*key, "fact"],
                           "använd ett id ur rules: i lint_rules/faktaregister.yaml")
            values = registry.rule(item["fact"]).values
            decided = date.fromisoformat(str(values["decided"])) if "decided" in values else None
            year = decided.year if decided else values.get("year")
            if year is None and "by" not in values:
                raise fail(f"uppgiften {item['fact']} har varken datum (decided/year) eller upphov (by)", [*key, "fact"],
                           "lägg till decided, year eller by i faktaregistret")
            items.append(Item(item["fact"], names, decided, year, values.get("by"), False))
        actors = tuple((name, compile_alternatives(words, fail, ["actors", name])) for name, words in entry["actors"].items())
        return OriginOptions(tuple(items), compile_alternatives(entry["events"], fail, ["events"]), actors)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        hits: list[TextHit] = []
        for sentence in sentences(texts):
            text = sentence.text
            for event in options.events.finditer(text):
                # The item the event is about: the one named last before the event word.
                # … close before it, with none of the draft's own documents in between ("Policyn enligt LOU
                # antogs 2024" dates the policy, not the law).
                named = [(m.end(), item) for item in options.items for m in item.names.finditer(text, 0, event.start())
                         if event.start() - m.end() <= 60 and not _REFERENCE.search(text[max(0, m.start() - 16):m.start()])
                         and not _OWN_DOCUMENT.search(text[:m.start()] + " " + text[m.end():event.start()])]
                if not named:
                    continue
                item = max(named, key=lambda pair: pair[0])[1]
                found = self._judge(options, registry, item, text, event)
                if found is None:
                    continue
                start, end, explanation = found
                hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                     fact=item.fact, förklaring=explanation, **fact_fields(registry, item.fact)))
                break
        return hits

    @staticmethod
    def _judge(options: OriginOptions, registry: Registry, item: Item, text: str,
               event: re.Match) -> tuple[int, int, str] | None:
        name = registry.law(item.fact).citation() if item.is_law else registry.rule(item.fact).name
        window = text[event.end():event.end() + 60]
        written = WRITTEN_TIME.search(window)
        if written is not None and item.year is not None:
            start, end = event.end() + written.start(), event.end() + written.end()
            wrong = differs_as_written(written, item.when, item.year)
            if wrong:
                right = item.when.isoformat() if item.when else str(item.year)
                return (start, end, f"anger fel tid: {name} är från {right}.")
        by = re.match(r"\s*(?:\S+\s+){0,4}?av\s+(?:den\s+)?", window)
        if by is not None and item.by is not None:
            rest = window[by.end():]
            for actor, words in options.actors:
                said = words.match(rest)
                if said and actor.lower() not in item.by.lower():
                    start = event.end() + by.end()
                    return (start, start + said.end(), f"anger fel upphov: {name} kommer från {item.by}.")
        return None

    def details(self, rule: TextRule) -> tuple[str, ...]:
        registry = load_registry()
        lines = []
        for item in self.options(rule).items:
            name = registry.law(item.fact).citation() if item.is_law else registry.rule(item.fact).name
            when = item.when.isoformat() if item.when else (str(item.year) if item.year else "")
            lines.append(f"{name}: {when}" + (f", av {item.by}" if item.by else ""))
        return tuple(lines)
