"""Kind `organ`: a body the organisation does not have ("I Region Gotland
fattas besluten av kommunfullmäktige", "Ljungby kommuns regionstyrelse"). The
organisation is the one the sentence names from the kommun table, or the
draft's own; its bodies come from the same organisation model the generator
uses (profile/organisation.py): a kommun or stad has kommunfullmäktige and
kommunstyrelsen, Region Gotland regionfullmäktige and regionstyrelsen.

A sentence that names another kind of organisation as well (a region other
than Gotland, "regionen" in a kommun's text, another kommun in Gotland's)
may speak of that one's bodies, so it says nothing wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.facts.registry import load_registry
from policygen.kommuner import kommun_mentions
from policygen.lint.text.claims import negated_before, sentences, time_frame
from policygen.lint.text.kinds.base import DraftFacts, Fail, Kind, TextHit, TextRule, Texts, make_hit
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields
from policygen.lint.text.kinds.fact_statements import known_fact
from policygen.profile.organisation import Organisation, foreign_body_word, own_body_word


@dataclass(frozen=True)
class BodyOptions:
    fact: str


# Another region (not Gotland) or a region in general: its own bodies may be meant.
_OTHER_REGION = re.compile(r"\bRegion\s+(?!Gotland)[A-ZÅÄÖ]\w+|\bregion(?:en|er|erna|ens|ernas)?\b|\blandsting\w*",
                           re.IGNORECASE)
# Another kommun in general, in a text about Region Gotland.
_OTHER_KOMMUN = re.compile(r"\b(?:andra|övriga|alla|flera|många)\s+kommuner\b|\bkommunerna\b", re.IGNORECASE)


class FactBodies(Kind[BodyOptions]):
    name = "organ"
    description = ("ett organ som organisationen inte har: Region Gotland har regionfullmäktige och regionstyrelse, "
                   "en kommun eller stad kommunfullmäktige och kommunstyrelse")
    fields = {"fact": {"type": "string", "minLength": 1}}
    required = ("fact",)
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> BodyOptions:
        return BodyOptions(known_fact(entry, fail))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        fact = self.options(rule).fact
        registry = load_registry()
        hits: list[TextHit] = []
        for sentence in sentences(texts):
            text = sentence.text
            if "fullmäktige" not in text.lower() and "styrelse" not in text.lower() and "direktör" not in text.lower():
                continue
            named = {mention.kommun for mention in kommun_mentions(text)}
            general = _generic(text) if not named else set()
            own = not named and not general
            organisations = {Organisation(k.organisation, k.officiellt_namn) for k in named} or general or (
                {Organisation(facts.own_kommun.organisation, facts.own_kommun.officiellt_namn)} if facts.own_kommun else set())
            if len({organisation.prefix for organisation in organisations}) != 1:
                continue    # none known, or a kommun and Region Gotland in one sentence
            organisation = next(iter(organisations))
            elsewhere = _OTHER_REGION if organisation.prefix == "kommun" else _OTHER_KOMMUN
            if elsewhere.search(_without_names(text, organisation)):
                continue
            word = foreign_body_word(text, organisation)
            if word is None:
                continue
            start = text.index(word)
            end = start + len(word)
            if time_frame(text, start, end, facts.today).historical:
                continue    # "Före 2019 hade landstingen landstingsfullmäktige": history
            if text[end:end + 1].lower() == "r" or negated_before(text, start, 3) or _ELSEWHERE.search(text):
                continue    # "kommunstyrelser" in general, "ingen kommunfullmäktige", "i en vanlig kommun"
            if own and not _DECIDES.search(text[max(0, start - 40):end + 40]):
                continue    # the draft's own organisation is meant only where the body decides the draft
            right = own_body_word(word, organisation)
            hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + start + len(word), right,
                                 fact=fact, förklaring=f"finns inte i {organisation.namn}; där heter organet {right.lower()}.",
                                 **fact_fields(registry, fact)))
        return hits


def _generic(text: str) -> set[Organisation]:
    """Kommuner or regioner in general ("De 21 regionerna styrs av …", "landets 290 kommuner")."""
    regions, kommuner = _REGIONS.search(text), _KOMMUNER.search(text)
    if regions and not kommuner:
        return {Organisation("region", "regionerna")}
    if kommuner and not regions:
        return {Organisation("kommun", "kommunerna")}
    return set()


# A body as the one that decides this document ("antas av regionfullmäktige", "Beslutad av: …",
# "kommunfullmäktige antar policyn"); otherwise a region's or another kommun's body may be meant.
_DECIDES = re.compile(r"(?:antas|antogs|antagen|beslutas|beslutad|fastställs|fastställd|revideras)\s*(?:av)?\s*:?\s*\w*(?:fullmäktige|styrelsen)"
                      r"|(?:fullmäktige|styrelsen)\s+(?:antar|antog|beslutar|fastställer|reviderar)\s+(?:denna\s+|den\s+här\s+)?"
                      r"(?:policy|plan|handlingsplan|riktlinje|program|verksamhetsplan|dokument)\w*", re.IGNORECASE)
_ELSEWHERE = re.compile(r"\b(?:en|i\s+en)\s+(?:annan|vanlig|övrig)\s+kommun|\bregional\w*|\bi\s+(?!Region\b)[A-ZÅÄÖ][a-zåäö]+s?\s+län\b")
_REGIONS = re.compile(r"\bregion(?:er|erna)\b", re.IGNORECASE)
_KOMMUNER = re.compile(r"\bkommuner(?:na)?\b", re.IGNORECASE)


def _without_names(text: str, organisation: Organisation) -> str:
    """The sentence without the organisation's own name ("Region Gotland" is no other region)."""
    return text.replace(organisation.namn, " ").replace("Gotlands", " ")
