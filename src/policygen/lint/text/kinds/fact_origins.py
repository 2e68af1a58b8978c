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
from functools import cache

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
    fixed_texts,
    make_hit,
)
from policygen.lint.text.kinds.dates import WRITTEN_TIME, differs_as_written
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields

# What the rule can judge of an item: its time, its author, its designation.
JUDGED = ("tid", "upphov", "beteckning")


@dataclass(frozen=True)
class Item:
    fact: str                 # the registry entry the claim is compared with (a rule, or a law)
    names: re.Pattern         # how drafts name it
    when: date | None         # its date, when the registry has the day
    year: int | None          # its year
    by: str | None            # who made it
    is_law: bool
    reference: str | None = None                 # its designation ("SOU 2019:56", "N2018/00710/FF")
    judge: frozenset[str] = frozenset(JUDGED)    # which of its properties this rule judges
    title: str | None = None                     # its title ("Idéburen välfärd")
    parts: tuple[tuple[int, str], ...] = ()      # its parts' numbers and titles


@dataclass(frozen=True)
class OriginOptions:
    items: tuple[Item, ...]
    events: re.Pattern                       # "presenterades", "antogs", "trädde i kraft"
    actors: tuple[tuple[str, re.Pattern], ...]   # an author's name in the registry → how drafts write it
    active_events: re.Pattern | None = None  # events with the item as object, after them ("rådet antog rekommendationen")
    literals: tuple[str, ...] | None = None  # text one of the items' names must hold (None: no such text)




# A name used as a reference, not as the subject: "enligt LOU", "med stöd av kommunallagen".
_REFERENCE = re.compile(r"\b(?:enligt|i|med\s+stöd\s+av|utifrån|inom|av)\s+(?:\w+\s+)?$", re.IGNORECASE)
# A law's amendment is not the law: "LOU har ändrats …, genom ändringar som trädde i kraft 2025".
_AMENDMENT = re.compile(r"\bändr\w*", re.IGNORECASE)
# What may stand between a name and its designation: "SOU 2017:56 Idéburen välfärd",
# "Idéburen välfärd (SOU 2019:56)", "Strategin har diarienummer N2018/00710/FF".
_TO_DESIGNATION = (r"[\s(),:–-]{0,4}(?:(?:har|med|,)?\s*(?:diarienummer|dnr\.?|beteckning(?:en)?|nummer)\s*:?\s*)?"
                   # "Vägledningen om IOP finns i del 2 av SOU 2019:56"
                   r"(?:(?:finns|står)\s+i\s+(?:del\s+\w+\s+(?:av|i)\s+)?)?")
# The vehicle an event is said to have come through: "infördes genom betänkandet SOU 2019:56".
_VEHICLE = re.compile(r"\s*(?:\S+\s+){0,3}?(?:genom|i|via)\s+(?:det|den|ett|en)?\s*", re.IGNORECASE)
_OWN_DOCUMENT = re.compile(r"\b(?:policy\w*|riktlinje\w*|\w*plan\w*|program\w*|dokument\w*|avtal\w*|"
                           r"överenskommelse\w*|strategi\w*|beslut\w*)\b", re.IGNORECASE)


class FactOrigins(Kind[OriginOptions]):
    name = "tidpunkt"
    description = ("när något togs fram och av vem – ett betänkande, en rekommendation, ett begrepp, när en lag "
                   "trädde i kraft – jämfört med faktaregistret, med den precision texten anger")
    fields = {"items": {"type": "array", "minItems": 1, "items": {
                  "type": "object", "additionalProperties": False, "required": ["names"],
                  "oneOf": [{"required": ["fact"]}, {"required": ["law"]}, {"required": ["paragraph"]}],
                  "properties": {"fact": {"type": "string", "minLength": 1}, "law": {"type": "string", "minLength": 1},
                                 "paragraph": {"type": "string", "minLength": 1},
                                 "names": REGEXES,
                                 "judge": {"type": "array", "minItems": 1, "items": {"enum": list(JUDGED)}}}}},
              "events": REGEXES,
              "active_events": REGEXES,
              "actors": {"type": "object", "minProperties": 1, "additionalProperties": REGEXES}}
    required = ("items", "events", "actors")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> OriginOptions:
        registry = load_registry()
        items = []
        for index, item in enumerate(entry["items"]):
            key = ["items", index]
            names = compile_alternatives(item["names"], fail, [*key, "names"])
            judge = frozenset(item.get("judge", JUDGED))
            if "paragraph" in item:
                # A provision of a law, dated by when it came into force ("19 kap. 25 a § LOU har funnits sedan 2017").
                paragraph = next((p for p in registry.paragraphs if p.id == item["paragraph"]), None)
                if paragraph is None:
                    raise fail(f"paragrafen {item['paragraph']} finns inte i faktaregistret", [*key, "paragraph"],
                               "använd ett id ur paragraphs: i lint_rules/faktaregister.yaml")
                start = paragraph.period.start
                items.append(Item(paragraph.id, names, start, start.year if start else None, None, False,
                                  judge=frozenset({"tid"})))
                continue
            if "law" in item:
                if item["law"] not in {law.id for law in registry.laws}:
                    raise fail(f"lagen {item['law']} finns inte i faktaregistret", [*key, "law"],
                               "använd ett id ur laws: i lint_rules/faktaregister.yaml")
                start = registry.law(item["law"]).period.start
                items.append(Item(item["law"], names, start, start.year if start else None, None, True, judge=judge))
                continue
            if item["fact"] not in {rule.id for rule in registry.rules}:
                raise fail(f"uppgiften {item['fact']} finns inte bland faktaregistrets regler", [*key, "fact"],
                           "använd ett id ur rules: i lint_rules/faktaregister.yaml")
            values = registry.rule(item["fact"]).values
            decided = date.fromisoformat(str(values["decided"])) if "decided" in values else None
            year = decided.year if decided else values.get("year")
            if year is None and "by" not in values and "reference" not in values:
                raise fail(f"uppgiften {item['fact']} har varken datum (decided/year) eller upphov (by)", [*key, "fact"],
                           "lägg till decided, year eller by i faktaregistret")
            parts = tuple(sorted((int(number), title) for number, title in values.get("parts", {}).items()))
            items.append(Item(item["fact"], names, decided, year, values.get("by"), False, values.get("reference"), judge,
                              values.get("title"), parts))
        actors = tuple((name, compile_alternatives(words, fail, ["actors", name])) for name, words in entry["actors"].items())
        literals = fixed_texts([name for item in entry["items"] for name in item["names"]])
        return OriginOptions(tuple(items), compile_alternatives(entry["events"], fail, ["events"]), actors,
                             compile_alternatives(entry["active_events"], fail, ["active_events"])
                             if "active_events" in entry else None, literals)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        hits: list[TextHit] = []
        named = _any_item(options)
        literals = options.literals
        for sentence in sentences(texts):
            text = sentence.text
            if (literals is not None and not any(lit in text.lower() for lit in literals)) or not named.search(text):
                continue    # no item named: nothing to date (most sentences end here, after a substring test)
            designation = self._designation(options, registry, text) or self._title(options, registry, text)
            if designation is not None:
                item, (start, end, explanation) = designation
                hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                     fact=item.fact, förklaring=explanation, **fact_fields(registry, item.fact)))
                continue
            for event, item, after in self._events(options, text):
                if "tid" not in item.judge and "upphov" not in item.judge:
                    continue
                found = self._judge(options, registry, item, text, event, after)
                if found is None:
                    continue
                start, end, explanation = found
                hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                     fact=item.fact, förklaring=explanation, **fact_fields(registry, item.fact)))
                break
        return hits

    @staticmethod
    def _events(options: OriginOptions, text: str) -> list[tuple[re.Match, Item, int]]:
        """Each event word with the item it is about and where its time or author is read from."""
        found = []
        for event in options.events.finditer(text):
            # The item the event is about: the one named last before the event word.
            # … close before it, with none of the draft's own documents in between ("Policyn enligt LOU
            # antogs 2024" dates the policy, not the law), and not an amendment of it.
            mentions = [(m, item) for item in options.items for m in item.names.finditer(text, 0, event.start())]
            # A name inside another's ("LOU" in "19 kap. 25 a § LOU") is part of that one.
            mentions = [(m, item) for m, item in mentions
                        if not any(o.start() <= m.start() and m.end() <= o.end() and (o.end() - o.start()) > (m.end() - m.start())
                                   for o, _ in mentions)]
            named = [(m.end(), item) for m, item in mentions
                     if event.start() - m.end() <= 60 and not _REFERENCE.search(text[max(0, m.start() - 16):m.start()])
                     and not _OWN_DOCUMENT.search(text[:m.start()] + " " + text[m.end():event.start()])
                     and not _AMENDMENT.search(text, m.end(), event.start())]
            if named:
                found.append((event, max(named, key=lambda pair: pair[0])[1], event.end()))
        if options.active_events is not None:
            for event in options.active_events.finditer(text):
                # Active voice: "EU:s råd antog rekommendationen … 2021" names the item right after the event.
                following = [(m, item) for item in options.items
                             if (m := item.names.search(text, event.end(), event.end() + 120)) is not None
                             and len(text[event.end():m.start()].split()) <= 1]
                if following:
                    match, item = min(following, key=lambda pair: pair[0].start())
                    found.append((event, item, match.end()))
        return found

    @staticmethod
    def _judge(options: OriginOptions, registry: Registry, item: Item, text: str,
               event: re.Match, after: int) -> tuple[int, int, str] | None:
        """The time and author said of `item` around its event word (read from `after` on)."""
        name = _name(registry, item)
        window = text[after:after + 60]
        written = WRITTEN_TIME.search(window)
        if written is not None and item.year is not None and "tid" in item.judge:
            start, end = after + written.start(), after + written.end()
            wrong = differs_as_written(written, item.when, item.year)
            if wrong:
                right = item.when.isoformat() if item.when else str(item.year)
                return (start, end, f"anger fel tid: {name} är från {right}.")
        if item.by is None or "upphov" not in item.judge:
            return None
        if after > event.end():
            # Active voice: the author is the subject before the event word ("Regeringen antog …").
            before = text[max(0, event.start() - 40):event.start()]
            for actor, words in options.actors:
                subjects = list(words.finditer(before))
                if subjects and actor.lower() not in item.by.lower():
                    start = event.start() - len(before) + subjects[-1].start()
                    return (start, start + len(subjects[-1].group()), f"anger fel upphov: {name} kommer från {item.by}.")
            return None
        by = re.match(r"\s*(?:\S+\s+){0,4}?av\s+(?:den\s+)?", window)
        if by is not None:
            rest = window[by.end():]
            for actor, words in options.actors:
                said = words.match(rest)
                if said and actor.lower() not in item.by.lower():
                    start = after + by.end()
                    return (start, start + said.end(), f"anger fel upphov: {name} kommer från {item.by}.")
        # The item said to have come through another, later or earlier one ("Begreppet IOP infördes
        # genom betänkandet SOU 2019:56"): it is older or newer than that, so that is not where it came from.
        vehicle = _VEHICLE.match(window)
        if vehicle is not None and item.year is not None:
            for other in options.items:
                said = other.names.search(window, vehicle.end())   # "genom betänkandet SOU 2019:56": one word between
                if said is not None and len(window[vehicle.end():said.start()].split()) > 1:
                    said = None
                if other is not item and said and other.year is not None and other.year != item.year:
                    right = item.when.isoformat() if item.when else str(item.year)
                    return (after + said.start(), after + said.end(),
                            f"anger fel upphov: {name} kommer från {item.by}, {right}, inte från "
                            f"{_name(registry, other)} ({other.year}).")
        return None

    @staticmethod
    def _designation(options: OriginOptions, registry: Registry, text: str) -> tuple[Item, tuple[int, int, str]] | None:
        """A designation written next to an item's name that is not the item's own
        ("SOU 2017:56 Idéburen välfärd", "strategin har diarienummer N2016/00710/FF")."""
        for item in options.items:
            if item.reference is None or "beteckning" not in item.judge:
                continue
            form = _designation_form(item.reference)
            if not form.search(text):
                continue
            own = _normal(item.reference)
            for name in item.names.finditer(text):
                before = re.search(rf"({form.pattern}){_TO_DESIGNATION}$", text[max(0, name.start() - 40):name.start()])
                after = re.match(rf"{_TO_DESIGNATION}({form.pattern})", text[name.end():name.end() + 60])
                said = [(name.start() - 40 + before.start(1) if name.start() >= 40 else before.start(1), before.group(1))
                        if before else None,
                        (name.end() + after.start(1), after.group(1)) if after else None]
                for place in said:
                    if place is None:
                        continue
                    start, value = place
                    if _normal(value) == own or own in _normal(text[max(0, name.start() - 40):name.end() + 60]):
                        continue
                    return item, (start, start + len(value),
                                  f"anger fel beteckning: {_name(registry, item)} har beteckningen {item.reference}.")
        return None

    @staticmethod
    def _title(options: OriginOptions, registry: Registry, text: str) -> tuple[Item, tuple[int, int, str]] | None:
        """A title or a part that is not the item's: "SOU 2019:56, ”Idéburet offentligt partnerskap”" (the
        report is Idéburen välfärd), "vägledningen finns i del 1 av SOU 2019:56" (it is part 2)."""
        for item in options.items:
            if item.title is None or "beteckning" not in item.judge:
                continue
            quotes = _quotations(text)
            # A name inside a quotation is the quotation ("… två delar: ”Idéburen välfärd” och ”…”").
            named = [m for m in item.names.finditer(text) if not any(a <= m.start() < b for a, b in quotes)]
            if not named:
                continue
            for name in named:
                quoted = next(((a, b) for a, b in quotes if 0 <= a - name.end() <= 4
                               and re.fullmatch(r"[\s,:(]*", text[name.end():a])), None) or \
                    next(((a, b) for a, b in quotes if 0 <= name.start() - b <= 3
                          and re.fullmatch(r"[\s,(]*", text[b:name.start()])), None)
                if quoted is None:
                    continue
                said = _normal(text[quoted[0] + 1:quoted[1] - 1])
                # A part's own title is right where the sentence names that part ("del 2 …, ”… – Vägledning”").
                parts_named = {_PART_NUMBERS.get((m.group("n") or m.group("ord")).lower()) for m in _PART.finditer(text)}
                allowed = {_normal(item.title)} | {_normal(title) for n, title in item.parts
                                                   if not parts_named or n in parts_named}
                if not any(said == right or said.startswith(right) for right in allowed):
                    return item, (quoted[0] + 1, quoted[1] - 1,
                                  f"anger fel titel: {_name(registry, item)} heter {item.title}.")
            for part in _PART.finditer(text):
                # Each part mention with the words of its own clause ("I första delen … föreslås en lag,
                # och i andra delen ges en vägledning").
                number = _PART_NUMBERS.get((part.group("n") or part.group("ord")).lower())
                first, last = _part_clause(text, part.start(), part.end())
                for n, title in item.parts:
                    if _normal(title) == _normal(item.title or ""):
                        continue    # the part that carries the report's own title says nothing by its words
                    keyword = title.split()[-1].lower()
                    if n != number and keyword in text[first:last].lower() \
                            and keyword not in dict(item.parts).get(number or 0, "").lower():
                        return item, (part.start(), part.end(),
                                      f"anger fel del: {title} är del {n} av {_name(registry, item)}.")
        return None

    def details(self, rule: TextRule) -> tuple[str, ...]:
        registry = load_registry()
        lines = []
        for item in self.options(rule).items:
            when = item.when.isoformat() if item.when else (str(item.year) if item.year else "")
            parts = [part for part in (when if "tid" in item.judge else "",
                                       f"av {item.by}" if item.by and "upphov" in item.judge else "",
                                       item.reference if item.reference and "beteckning" in item.judge else "") if part]
            lines.append(f"{_name(registry, item)}: {', '.join(parts)}")
        return tuple(lines)


def _name(registry: Registry, item: Item) -> str:
    if item.is_law:
        return registry.law(item.fact).citation()
    paragraph = next((p for p in registry.paragraphs if p.id == item.fact), None)
    if paragraph is not None:
        return f"{paragraph.ref.text()} {registry.law(paragraph.law).short or registry.law(paragraph.law).citation()} ({paragraph.subject})"
    return registry.rule(item.fact).name


@cache
def _any_item(options: OriginOptions) -> re.Pattern:
    """Every item's names as one pattern, for a first cheap look at a sentence."""
    return re.compile("|".join(f"(?:{item.names.pattern})" for item in options.items), re.IGNORECASE)


@cache
def _designation_form(reference: str) -> re.Pattern:
    """Any designation of the same form as `reference` ("SOU 2019:56" → SOU and two numbers)."""
    pattern = re.sub(r"\\ ", r"\\s*", re.escape(reference))
    return re.compile(re.sub(r"\d+", r"\\d+", pattern))


_QUOTE_MARK = re.compile(r"[”\"“«»]")


def _quotations(text: str) -> list[tuple[int, int]]:
    """The quotations in `text`, as (opening, after closing): marks paired in order, since Swedish
    opens and closes with the same ” ."""
    marks = [m.start() for m in _QUOTE_MARK.finditer(text)]
    return [(a, b + 1) for a, b in zip(marks[::2], marks[1::2]) if 3 <= b - a - 1 <= 120]


def _part_clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of a part mention: between commas and "och"/"men" joining clauses."""
    breaks = list(re.finditer(r",\s*(?:och|men|medan)\b|;|\.\s", text))
    first = max((b.end() for b in breaks if b.end() <= start), default=0)
    last = min((b.start() for b in breaks if b.start() >= end), default=len(text))
    return first, last
_PART = re.compile(r"\bdel\s+(?P<n>\d|ett|två|tre|fyra)\b|\b(?P<ord>första|andra|tredje|fjärde)\s+del(?:en)?\b", re.IGNORECASE)
_PART_NUMBERS = {"1": 1, "2": 2, "3": 3, "4": 4, "ett": 1, "två": 2, "tre": 3, "fyra": 4,
                 "första": 1, "andra": 2, "tredje": 3, "fjärde": 4}


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()
