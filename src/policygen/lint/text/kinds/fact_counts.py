"""Kind `antal`: how many there are of something the registry counts – the
kommuner and regioner in Sweden ("I Sverige finns 290 kommuner och 20
regioner"). A number is read right before its noun, in digits or words
("tvåhundranittio kommuner"), and judged only when the sentence speaks of the
whole country: "Sverige har …", "landets …", "samtliga … kommuner", or "det
finns … kommuner i Sverige". "Tolv kommuner i länet" and "två kommuner i
Sverige har antagit …" count a part, not the whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.facts.registry import load_registry
from policygen.lint.text.claims import number_from_words, sentences, time_frame
from policygen.lint.text.kinds.base import (
    REGEXES,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    compile_alternatives,
    compile_regex,
    make_hit,
)
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields
from policygen.lint.text.kinds.fact_statements import known_fact


@dataclass(frozen=True)
class CountOptions:
    fact: str
    nouns: tuple[tuple[str, re.Pattern], ...]   # the registry's counted thing → how drafts name it
    before: re.Pattern                          # just before the number: it counts the whole ("Sverige har")
    after: re.Pattern                           # just after the noun: … of the whole country ("i Sverige")
    unless: re.Pattern | None                   # a qualification that makes another number right


_PART = re.compile(r"\s+(?:som|med|där|vars|utan)\b", re.IGNORECASE)
_EXISTS = re.compile(r"\b(?:finns|fanns|har|hade|består|är)\b", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"(?:(?P<digits>\d{1,3})|(?P<words>[a-zåäö]+))\s+$", re.IGNORECASE)


class FactCounts(Kind[CountOptions]):
    name = "antal"
    description = "hur många det finns av något som faktaregistret räknar, till exempel kommuner och regioner i Sverige"
    fields = {"fact": {"type": "string", "minLength": 1},
              "nouns": {"type": "object", "minProperties": 1, "additionalProperties": REGEXES},
              "before": REGEXES, "after": REGEXES, "unless": REGEXES}
    required = ("fact", "nouns", "before", "after")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> CountOptions:
        fact = known_fact(entry, fail)
        counts = load_registry().rule(fact).values.get("counts", {})
        for name in entry["nouns"]:
            if name not in counts:
                raise fail(f"faktaregistrets {fact} räknar inte {name}", ["nouns", name],
                           f"lägg till {name} under counts: i faktaregistret, eller ta bort det här")
        return CountOptions(fact, tuple((name, compile_alternatives(words, fail, ["nouns", name]))
                                        for name, words in entry["nouns"].items()),
                            compile_regex(rf"(?:{'|'.join(entry['before'])})\s*$", fail, ["before"], ignorecase=True),
                            compile_alternatives(entry["after"], fail, ["after"]),
                            compile_alternatives(entry["unless"], fail, ["unless"]) if "unless" in entry else None)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        counts = registry.rule(options.fact).values["counts"]
        hits: list[TextHit] = []
        for sentence in sentences(texts):
            text = sentence.text
            if options.unless is not None and options.unless.search(text):
                continue
            for name, words in options.nouns:
                for noun in words.finditer(text):
                    said = _NUMBER_BEFORE.search(text, max(0, noun.start() - 40), noun.start())
                    if said is None:
                        continue
                    value = int(said.group("digits")) if said.group("digits") else number_from_words(said.group("words"))
                    if value is None or value < 2 or value == counts[name]:
                        continue
                    whole = options.before.search(text, max(0, said.start() - 80), said.start()) or (
                        options.after.match(text, noun.end()) and _EXISTS.search(text, 0, said.start()))
                    if not whole or _PART.match(text, noun.end()):
                        continue    # "två kommuner i Sverige har antagit …", "45 kommuner som har …" count a part
                    if time_frame(text, said.start(), noun.end(), facts.today).historical:
                        continue    # "År 1970 fanns 464 kommuner"
                    hits.append(make_hit(rule, sentence.unit, sentence.start + said.start(), sentence.start + noun.end(),
                                         None, fact=options.fact,
                                         förklaring=f"stämmer inte: Sverige har {counts[name]} {name}.",
                                         **fact_fields(registry, options.fact)))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        counts = load_registry().rule(self.options(rule).fact).values["counts"]
        return tuple(f"{value} {name}" for name, value in counts.items())
