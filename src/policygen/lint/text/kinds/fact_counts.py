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
from policygen.lint.text.claims import number_from_words, only_asking, sentences, time_frame
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
    before: re.Pattern | None                   # just before the number: it counts the whole ("Sverige har")
    after: re.Pattern | None                    # just after the noun: … of the whole country ("i Sverige")
    unless: re.Pattern | None                   # a qualification that makes another number right
    about: re.Pattern | None = None             # the sentence must name the counted item ("rådets rekommendation")
    exists: re.Pattern | None = None            # with `after`: a verb before the number that makes it a count
    holder: re.Pattern | None = None            # whose number it is must be named ("medlemsstaterna", not "kommunen")


_PART = re.compile(r"\s+(?:som|med|där|vars|utan)\b", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"(?:(?P<digits>\d{1,3})|(?P<words>[a-zåäö]+))\s+$", re.IGNORECASE)


class FactCounts(Kind[CountOptions]):
    name = "antal"
    description = ("hur många det finns av något som faktaregistret räknar: kommuner och regioner i Sverige, "
                   "månaderna i en tidsfrist")
    fields = {"fact": {"type": "string", "minLength": 1},
              "nouns": {"type": "object", "minProperties": 1, "additionalProperties": REGEXES},
              "before": REGEXES, "after": REGEXES, "unless": REGEXES, "about": REGEXES, "exists": REGEXES,
              "holder": REGEXES}
    required = ("fact", "nouns")
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
                            compile_regex(rf"(?:{'|'.join(entry['before'])})\s*$", fail, ["before"], ignorecase=True)
                            if "before" in entry else None,
                            *(compile_alternatives(entry[key], fail, [key]) if key in entry else None
                              for key in ("after", "unless", "about", "exists", "holder")))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        counts = registry.rule(options.fact).values["counts"]
        hits: list[TextHit] = []
        listed = list(sentences(texts))
        asking = only_asking(listed)
        for sentence in listed:
            text = sentence.text
            if id(sentence) in asking:
                continue    # "Finns det 300 kommuner? Nej, …" asks, it does not say
            if (options.unless is not None and options.unless.search(text)) or (
                    options.about is not None and not options.about.search(text)) or (
                    options.holder is not None and not options.holder.search(text)):
                continue
            for name, words in options.nouns:
                for noun in words.finditer(text):
                    said = _NUMBER_BEFORE.search(text, max(0, noun.start() - 40), noun.start())
                    if said is None:
                        continue
                    value = int(said.group("digits")) if said.group("digits") else number_from_words(said.group("words"))
                    allowed = counts[name] if isinstance(counts[name], list) else [counts[name]]
                    if value is None or value in allowed:
                        continue
                    after = options.after is not None and options.after.match(text, noun.end()) is not None
                    if value < 2 and not after:
                        continue    # "en"/"ett" is an article more often than a count, unless a deadline follows
                    whole = (options.before is not None and options.before.search(text, max(0, said.start() - 80), said.start())) \
                        or (after and (options.exists is None or options.exists.search(text, 0, said.start())))
                    if not whole or _PART.match(text, noun.end()):
                        continue    # "två kommuner i Sverige har antagit …", "45 kommuner som har …" count a part
                    frame = time_frame(text, said.start(), noun.end(), facts.today)
                    if frame.historical and frame.period is not None:
                        continue    # "År 1970 fanns 464 kommuner"; a past tense alone ("gav … sex månader") still claims
                    hits.append(make_hit(rule, sentence.unit, sentence.start + said.start(), sentence.start + noun.end(),
                                         None, fact=options.fact,
                                         förklaring=f"stämmer inte: det ska vara {allowed[0]} {name}.",
                                         **fact_fields(registry, options.fact)))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        counts = load_registry().rule(self.options(rule).fact).values["counts"]
        return tuple(f"{value[0] if isinstance(value, list) else value} {name}" for name, value in counts.items())
