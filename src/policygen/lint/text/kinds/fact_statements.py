"""Kinds about what a draft says the law allows or requires, compared with the
legal rules in the fact registry:

`påstående`: a statement about a subject (IOP, support to a business, social
considerations in procurement) that says what the registered rule denies: IOP
as a way to buy without procurement, support promised without conditions, a
*bör* stated as *ska*. What a statement must say to be wrong is data in the
rule file (`claims`), each with the rule's explanation; a negation before it
("får inte användas för att kringgå …") or a qualification anywhere in the
sentence (`unless`: "synnerliga skäl", "de minimis") makes it right.

`andel`: the share of a reserved contract's workforce, compared with the
registered share and the group it is counted over.

`strategi`: the government's strategy for social enterprises given an end
year, another decision year, or duties for the kommun.

`skyldighet`: a paragraph stated with the wrong force: the registry says what
each paragraph says of its subject (ska, bör, får); a sentence that attributes
a duty to the law about a subject the law only recommends or allows is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from policygen.facts.registry import Registry, load_registry, parse_ref
from policygen.lint.text.claims import (
    NUMBER_WORDS,
    ClaimSentence,
    exemption,
    negated_before,
    only_asking,
    question_before,
    sentences,
    time_frame,
)
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
from policygen.lint.text.kinds.dates import MONTHS as MONTH_NAMES
from policygen.lint.text.kinds.dates import WRITTEN_TIME, differs_as_written
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields


def known_fact(entry: dict, fail: Fail) -> str:
    registry = load_registry()
    if entry["fact"] not in {fact.id for fact in registry.facts()}:
        raise fail(f"uppgiften {entry['fact']} finns inte i faktaregistret", ["fact"],
                   "använd ett id ur lint_rules/faktaregister.yaml")
    return str(entry["fact"])


@dataclass(frozen=True)
class Claim:
    says: re.Pattern                    # the words that make the statement wrong
    also: tuple[re.Pattern, ...]        # each must occur somewhere in the sentence too
    previous: re.Pattern | None         # the sentence before must say this (a contradiction across sentences)
    previous_unless: re.Pattern | None  # … and not this (a qualified denial contradicts nothing)
    unless: re.Pattern | None           # a qualification in the sentence that makes this claim right
    explanation: str
    replacement: str | None
    negatable: bool                     # a negation before `says` makes the statement right
    timeless: bool = False              # wrong in the past tense too ("IOP infördes i svensk lag 2010")
    exempts: re.Pattern | None = None   # rules the subject is said to be outside of (the rule's `outside` words)
    gate: re.Pattern | None = None      # a cheap word the sentence must hold before `says` is tried


@dataclass(frozen=True)
class StatementOptions:
    fact: str
    about: re.Pattern                   # the sentence (or the one before) is about this subject
    claims: tuple[Claim, ...]
    unless: re.Pattern | None           # a qualification that makes the sentence right
    outside: re.Pattern | None = None   # words saying rules do not apply ("omfattas inte av", "undantas från")


_CLAIM_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["förklaring"],
                 "oneOf": [{"required": ["says"]}, {"required": ["exempts"]}],
                 "properties": {"says": REGEXES, "exempts": REGEXES, "also": {"type": "array", "items": REGEXES},
                                "previous": REGEXES, "previous_unless": REGEXES, "unless": REGEXES, "gate": REGEXES,
                                "förklaring": {"type": "string", "minLength": 1},
                                "ersättning": {"type": "string", "minLength": 1},
                                "negatable": {"type": "boolean"}, "timeless": {"type": "boolean"}}}


# Where a sentence turns against its own first half.
_TURN = re.compile(r"[,;]\s+(?:men|dock|däremot)\s+|;\s+|\s+men\s+(?=(?:\w+\s+){0,6}?(?:kan|får|ska)\b)", re.IGNORECASE)


class FactStatements(Kind[StatementOptions]):
    name = "påstående"
    description = ("ett påstående om vad lagen tillåter eller kräver (IOP, stöd till företag, sociala hänsyn) "
                   "som faktaregistrets regel säger emot; en negation eller ett förbehåll gör det rätt")
    fields = {"fact": {"type": "string", "minLength": 1}, "about": REGEXES,
              "claims": {"type": "array", "minItems": 1, "items": _CLAIM_SCHEMA}, "unless": REGEXES,
              "outside": REGEXES}
    required = ("fact", "about", "claims")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> StatementOptions:
        claims = []
        for index, item in enumerate(entry["claims"]):
            key = ["claims", index]
            if "exempts" in item and "outside" not in entry:
                raise fail("ett påstående med exempts behöver regelns outside (orden för att regler inte gäller)",
                           [*key, "exempts"], "lägg till outside: [...] i regeln")
            claims.append(Claim(
                compile_alternatives(item["says"] if "says" in item else item["exempts"], fail,
                     [*key, "says" if "says" in item else "exempts"]),
                tuple(compile_alternatives(words, fail, [*key, "also", n]) for n, words in enumerate(item.get("also", []))),
                compile_alternatives(item["previous"], fail, [*key, "previous"]) if "previous" in item else None,
                compile_alternatives(item["previous_unless"], fail, [*key, "previous_unless"]) if "previous_unless" in item else None,
                compile_alternatives(item["unless"], fail, [*key, "unless"]) if "unless" in item else None,
                item["förklaring"], item.get("ersättning"), item.get("negatable", True), item.get("timeless", False),
                compile_alternatives(item["exempts"], fail, [*key, "exempts"]) if "exempts" in item else None,
                compile_alternatives(item["gate"], fail, [*key, "gate"]) if "gate" in item else None))
        return StatementOptions(known_fact(entry, fail), compile_alternatives(entry["about"], fail, ["about"]), tuple(claims),
                                compile_alternatives(entry["unless"], fail, ["unless"]) if "unless" in entry else None,
                                compile_alternatives(entry["outside"], fail, ["outside"]) if "outside" in entry else None)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        hits: list[TextHit] = []
        previous = ""
        listed = list(sentences(texts))
        asking = only_asking(listed)
        for index, sentence in enumerate(listed):
            text = sentence.text
            if id(sentence) in asking:
                previous = text
                continue   # "Är IOP ett sätt att slippa LOU? Nej, …" asks, it does not say
            # An answer is about what its question asks ("F: När får kommunen välja IOP? S: När det …").
            asked = question_before(previous)
            if options.about.search(text) or options.about.search(asked) or (options.about.search(previous) and any(
                    claim.previous is not None for claim in options.claims)):
                hits += self._claims(rule, options, registry, sentence, previous, facts.today, asked,
                                     listed[index + 1].text if index + 1 < len(listed) else "")
            previous = text
        return hits

    @staticmethod
    def _claims(rule: TextRule, options: StatementOptions, registry: Registry, sentence: ClaimSentence,
                previous: str, today: date, asked: str = "", following: str = "") -> list[TextHit]:
        text = sentence.text
        context = f"{asked} {text}" if asked else text   # the question's words count as the answer's subject
        about_here = bool(options.about.search(context))
        qualified: bool | None = None        # the rule's qualifications, searched when a claim needs them
        qualified_next: bool | None = None   # … also in the next sentence ("Stöd kräver synnerliga skäl …")
        for claim in options.claims:
            if claim.previous is None and not about_here:
                continue  # only a claim about the sentence before may stand in a sentence without the subject
            if claim.gate is not None and not claim.gate.search(text):
                continue  # the claim's cheap word is missing: its long patterns need not run
            # What the claim says must be there at all (most sentences end here, after one search).
            if claim.exempts is None and not claim.says.search(text):
                continue
            if claim.exempts is not None and not claim.exempts.search(text):
                continue
            if qualified is None:
                qualified = options.unless is not None and bool(options.unless.search(text))
                qualified_next = options.unless is not None and bool(options.unless.search(following))
            rule_unless = qualified
            if qualified and options.unless is not None and claim.exempts is None \
                    and (said := claim.says.search(text)) is not None:
                # "… på marknadsmässiga villkor, men sociala företag får alltid 30 procents hyresrabatt": a
                # qualification on the other side of a contrast does not qualify the promise.
                first, last = _contrast_side(text, said.start(), said.end())
                rule_unless = bool(options.unless.search(text, first, last))
            rule_unless = rule_unless or bool(qualified_next)
            # The rule's qualifications speak of this sentence's own promise; a claim with its own
            # `unless` (or about the sentence before) uses only that.
            if rule_unless and claim.previous is None and claim.unless is None:
                continue
            # A claim about what was said before: the sentence before, or the first half of this one
            # ("Kommunen ger inga bidrag till företag, men ASF kan få föreningsbidrag").
            begins = 0
            if claim.previous is not None:
                said_before = [(previous, 0)] + [(text[:m.start()], m.end()) for m in _TURN.finditer(text)]
                begins = next((at for before, at in said_before if claim.previous.search(before) and not (
                    claim.previous_unless is not None and claim.previous_unless.search(before))), -1)
                if begins < 0:
                    continue
            if claim.unless is not None and (claim.unless.search(text) or (
                    text.rstrip().endswith("?") and claim.unless.search(following))):
                continue    # … or a question its answer qualifies ("Vad kostar …? Inget, den är kostnadsfri.")
            if not all(pattern.search(context) for pattern in claim.also):
                continue
            if claim.exempts is not None and options.outside is not None:
                found = exemption(text, claim.exempts, options.outside)
                if found is not None and (claim.timeless or not time_frame(text, found.start(), found.end(),
                                                                              today).historical):
                    return [make_hit(rule, sentence.unit, sentence.start + found.start(),
                                     sentence.start + found.end(), claim.replacement, fact=options.fact,
                                     förklaring=claim.explanation, **fact_fields(registry, options.fact))]
                continue
            for match in claim.says.finditer(text, begins):
                if claim.negatable and negated_before(text, match.start()):
                    continue
                side = _contrast_side(text, match.start(), match.end())
                if claim.previous is None and side != (0, len(text)) and not options.about.search(text, *side) \
                        and _ASSOCIATIONS.search(text, *side):
                    continue   # "…, men föreningar kan få hyresrabatt enligt bidragsreglerna": not a business
                if claim.negatable and any(main.start() <= match.start() and match.end() <= main.end()
                                           for main in _NEGATED_MAIN.finditer(text)):
                    continue   # "Att det finns andra aktörer avgör inte …": the subject clause is denied
                if not claim.timeless and time_frame(text, match.start(), match.end(), today).historical:
                    continue
                return [make_hit(rule, sentence.unit, sentence.start + match.start(), sentence.start + match.end(),
                                 claim.replacement, fact=options.fact, förklaring=claim.explanation,
                                 **fact_fields(registry, options.fact))]
        return []

    def details(self, rule: TextRule) -> tuple[str, ...]:
        options = self.options(rule)
        return (f"bygger på faktaregistrets {options.fact}",
                *(f"fel när meningen säger att reglerna `{claim.exempts.pattern}` inte gäller"
                  if claim.exempts is not None else f"fel när meningen säger: `{claim.says.pattern}`"
                  for claim in options.claims))


_ASSOCIATIONS = re.compile(r"\bförening\w*|\bföreningsbidrag\w*", re.IGNORECASE)
_CONTRAST_MARK = re.compile(r",\s*(?:men|medan|dock)\b|;|\bmen\b", re.IGNORECASE)


def _contrast_side(text: str, start: int, end: int) -> tuple[int, int]:
    """The part of the sentence on the claim's side of a contrast ("…, men …", "…; …")."""
    first, last = 0, len(text)
    for mark in _CONTRAST_MARK.finditer(text):
        if mark.end() <= start:
            first = mark.end()
        elif mark.start() >= end:
            last = mark.start()
            break
    return first, last


# A sentence whose subject is an att-clause and whose main verb is negated.
# ("Om bestämmelsen är förenlig med EU-rätten har ännu inte prövats": a whether-clause, likewise.)
# "Om" only as a whether-clause: no comma before the main verb ("Om kommunen vill, är det …" is a condition).
_NEGATED_MAIN = re.compile(r"(?:^|(?<=[;:]))\W*(?:Att|Om|att|om)\b[^;,]*?\b(?:avgör|betyder|innebär|räcker|spelar|gör|är|ger|medför|har)\s+(?:\w+\s+)?"
                           r"(?:inte|ingen|inget|aldrig|ej)\b", re.IGNORECASE)


_NEGATED_RELATIVE = re.compile(r"\b(?:inga|ingen|inget)\s+(?:\w+\s+){0,2}?som\s+(?:\w+\s+){0,3}?$", re.IGNORECASE)
# "ålägger inte kommunen …": the duty word itself is denied.
_NEGATION_AFTER = re.compile(r"\s+(?:inte|ej|aldrig|ingen|inga|inget)\b", re.IGNORECASE)
_CITED_PARAGRAPH = re.compile(r"\d{1,2}\s*[a-z]?\s*kap\.?\s*\d{1,3}\s*[a-z]?\s*§", re.IGNORECASE)
_OTHER_DOCUMENT = re.compile(r"\b(?:kommunens|regionens|stadens|nämndens|vår|denna|den\s+här)\s+(?:egen\s+)?"
                             r"(?:policy|plan|handlingsplan|riktlinje\w*|program|strategi|verksamhetsplan)\w*", re.IGNORECASE)
_BARE_STRATEGY = re.compile(r"\b[Ss]trategin\b|\b[Ss]trategins\b")


def _identified(text: str, values: dict, decided: date) -> re.Match | None:
    """A bare "strategin" that is the registered one by what the sentence says of it: its
    decision day, its designation or one of its focus areas by name ("Strategin pekar ut
    fyra fokusområden, bland annat finansiering …")."""
    bare = _BARE_STRATEGY.search(text)
    if bare is None:
        return None
    lowered = text.lower()
    marks = [decided.isoformat(), f"{decided.day} {MONTH_NAMES[decided.month - 1]} {decided.year}",
             str(values.get("reference", "")).lower(), *(str(area).lower() for area in values.get("focus_areas", []))]
    if any(mark and mark.lower() in lowered for mark in marks):
        return bare
    # "Strategin antogs 2018 …": its decision year after a word of decision
    if re.search(rf"\b(?:antogs|beslutades|fastställdes|lanserades|presenterades|kom)\s+(?:\w+\s+){{0,3}}?{decided.year}\b", text):
        return bare
    # Counting its focus areas or marks: in a text about social enterprises that is the government's strategy.
    return bare if _COUNTED_PARTS.search(text, bare.end()) else None


_COUNTED_PARTS = re.compile(r"\b(?:fokusområde\w*|kännetecken\w*)\b", re.IGNORECASE)


_FRACTIONS = {"hälften": 50, "halva": 50, "en tredjedel": 33, "en fjärdedel": 25, "en femtedel": 20,
              "två tredjedelar": 67, "tre av tio": 30, "fyra av tio": 40, "varannan": 50, "majoriteten": 51,
              "flertalet": 51, "de flesta": 51, "en majoritet": 51}
_TENS = {"tio": 10, "tjugo": 20, "tjugofem": 25, "trettio": 30, "trettiofem": 35, "fyrtio": 40, "femtio": 50,
          "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90}
_FRACTIONS.update({f"{word} procent": value for word, value in _TENS.items()})
_SHARE = re.compile(r"(?P<number>\d{1,3})(?:,\d+)?\s*(?:%|procent)|(?P<words>"
                    + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")", re.IGNORECASE)


@dataclass(frozen=True)
class ShareOptions:
    fact: str
    about: re.Pattern                # the sentence is about a reserved contract
    legal: re.Pattern                # … or states a legal requirement ("lagen kräver", "krav enligt LOU") …
    group: re.Pattern                # … about the target group ("målgruppen", "missgynnade")
    employed_only: re.Pattern        # counts employees only ("anställda", "arbetstagare")
    wrong_basis: re.Pattern          # a share of something else than people (turnover, the board)
    requirement: re.Pattern          # the share stated as the rule, not as a fact about one supplier
    restricted: re.Pattern           # says outright that only employees count ("endast anställda")
    everyone_occupied: re.Pattern    # counts everyone occupied ("sysselsatta", "de som arbetar")
    people: re.Pattern               # a share of people at all (not of contracts or purchases)
    own_goal: re.Pattern             # the kommun's own target, not the law's rule


class FactShares(Kind[ShareOptions]):
    name = "andel"
    description = ("andelen av de sysselsatta som ska höra till målgruppen i ett reserverat kontrakt, jämförd med "
                   "faktaregistret (andel och vilka som räknas)")
    fields = {"fact": {"type": "string", "minLength": 1}, "about": REGEXES, "legal": REGEXES, "group": REGEXES,
              "employed_only": REGEXES, "restricted": REGEXES, "everyone_occupied": REGEXES, "people": REGEXES,
              "own_goal": REGEXES, "wrong_basis": REGEXES, "requirement": REGEXES}
    required = ("fact", "about", "legal", "group", "employed_only", "restricted", "everyone_occupied", "people",
                "own_goal", "wrong_basis", "requirement")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> ShareOptions:
        fact = known_fact(entry, fail)
        if "share_percent" not in load_registry().rule(fact).values:
            raise fail(f"uppgiften {fact} har ingen andel (share_percent)", ["fact"],
                       "peka på regeln om reserverade kontrakt i faktaregistret")
        def words(key: str) -> re.Pattern:
            return compile_alternatives(entry[key], fail, [key])

        return ShareOptions(fact, words("about"), words("legal"), words("group"), words("employed_only"),
                            words("wrong_basis"), words("requirement"), words("restricted"), words("everyone_occupied"),
                            words("people"), words("own_goal"))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        legal = registry.rule(options.fact)
        required = int(legal.values["share_percent"])
        counted = str(legal.values.get("counted_over", "sysselsatta"))
        hits: list[TextHit] = []
        previous = ""
        listed = list(sentences(texts))
        asking = only_asking(listed)
        for sentence in listed:
            text = sentence.text
            # An answer is about what its question asks ("F: Kan … i en reserverad upphandling? S: Nej, …").
            asked = question_before(previous)
            previous = text
            if id(sentence) in asking:
                continue    # "Kan … 25 procent …? Nej, …" asks, it does not say
            about = options.about.search(text) or options.about.search(asked) or (
                options.legal.search(text) and options.group.search(text))
            if not about or options.own_goal.search(text):
                continue
            if (narrowed := options.restricted.search(text)) and not negated_before(text, narrowed.start(), 2):
                hits.append(make_hit(rule, sentence.unit, sentence.start + narrowed.start(),
                                     sentence.start + narrowed.end(), None, fact=options.fact,
                                     förklaring=(f"räknar bara anställda. Lagen räknar alla {counted} hos "
                                                 "leverantören, också personer i arbetsträning; anställning krävs inte."),
                                     **fact_fields(registry, options.fact)))
                continue
            if (found := self._counted(text, required)) is not None:
                start, end, explanation = found
                hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                     fact=options.fact, förklaring=explanation, **fact_fields(registry, options.fact)))
                continue
            if _COUNTED.search(text):
                continue    # one supplier counted out, and the count agrees: its share is no rule
            for match in _SHARE.finditer(text):
                share = int(match.group("number")) if match.group("number") else _FRACTIONS[match.group("words").lower()]
                frame = time_frame(text, match.start(), match.end(), facts.today)
                if frame.historical:
                    # A share said to have applied at a time the rule already held ("höjdes 2024 till 40 procent").
                    since = legal.period.start
                    period = frame.period
                    if period is None and (bare := re.search(rf"(?<![\d-])({_YEAR})(?![\d-])", text)):
                        period = (date(int(bare.group(1)), 1, 1), date(int(bare.group(1)), 12, 31))
                    about_people = options.people.search(text[match.end():match.end() + 60]) or options.people.search(
                        text[max(0, match.start() - 60):match.start()])
                    if period is not None and since is not None and period[0] >= since and share != required \
                            and about_people and options.requirement.search(text):
                        hits.append(make_hit(rule, sentence.unit, sentence.start + match.start(),
                                             sentence.start + match.end(), None, fact=options.fact,
                                             förklaring=(f"stämmer inte för den tid texten anger: sedan {since.isoformat()} "
                                                         f"är andelen {required} procent av de {counted}."),
                                             **fact_fields(registry, options.fact)))
                        break
                    continue
                rest = text[match.end():match.end() + 60]
                first = max(text.rfind(mark, 0, match.start()) for mark in (",", ";")) + 1
                if not options.requirement.search(text[first:match.end() + 30]):
                    continue    # a fact about one supplier ("tillhör i dag 60 %"), not the rule
                if (basis := options.wrong_basis.search(rest)) and basis.start() < 30:
                    hits.append(make_hit(rule, sentence.unit, sentence.start + match.start(),
                                         sentence.start + match.end() + basis.end(), None, fact=options.fact,
                                         förklaring=(f"räknar andelen på fel grund. Lagen räknar de {counted} hos "
                                                     f"leverantören: minst {required} procent av dem ska höra till målgruppen."),
                                         **fact_fields(registry, options.fact)))
                    break
                if not options.people.search(rest) and not options.people.search(text[max(0, match.start() - 60):match.start()]) \
                        and not (asked and options.people.search(asked)):
                    continue    # a share of something else: contracts, purchases
                employees = options.employed_only.search(rest)
                sufficient = re.search(r"\bräcker\b", text[first:match.start()], re.IGNORECASE) is not None
                if sufficient and share >= required:
                    continue    # "Räcker det att 35 % …?": more than the law asks is enough
                if share != required:
                    explanation = (f"anger fel andel: lagen kräver att minst {required} procent av de {counted} "
                                   f"hör till målgruppen ({legal.ref.text() if legal.ref else ''} LOU).")
                    replacement = f"{required} procent" if match.group("number") else None
                    end = match.end()
                elif _AT_MOST.search(" ".join(text[max(0, match.start() - 30):match.start()].split()[-3:])):
                    explanation = (f"gör andelen till ett tak. Lagen kräver att minst {required} procent av de "
                                   f"{counted} hör till målgruppen; fler får det gärna vara.")
                    replacement = None
                    end = match.end()
                elif employees and not options.everyone_occupied.search(rest):
                    explanation = (f"räknar bara anställda. Lagen räknar alla {counted} hos leverantören, också "
                                   f"personer i arbetsträning; anställning krävs inte.")
                    replacement = None
                    end = match.end() + employees.end()
                else:
                    continue
                hits.append(make_hit(rule, sentence.unit, sentence.start + match.start(), sentence.start + end,
                                     replacement, fact=options.fact, förklaring=explanation,
                                     **fact_fields(registry, options.fact)))
                break
        return hits

    @staticmethod
    def _counted(text: str, required: int) -> tuple[int, int, str] | None:
        """A supplier counted out ("tio sysselsatta, varav två tillhör målgruppen") said to meet
        the requirement when its share is below it, or not to meet it when it is not."""
        match = _COUNTED.search(text)
        if match is None:
            return None
        total, part = _number(match.group("total")), _number(match.group("part"))
        if not total or part is None or part > total:
            return None
        share = 100 * part / total
        verdict = _MEETS.search(text, match.end()) or _MEETS.search(text, 0, match.start())
        if verdict is None:
            return None
        denied = bool(re.search(r"\b(?:inte|ej|aldrig)\b", verdict.group()))
        if share < required and not denied:
            return (match.start(), verdict.end() if verdict.start() > match.start() else match.end(),
                    f"räknar fel: {part} av {total} är {share:.0f} procent, och lagen kräver minst {required} procent.")
        if share >= required and denied:
            return (match.start(), match.end(),
                    f"räknar fel: {part} av {total} är {share:.0f} procent, vilket når lagens krav på minst {required} procent.")
        return None

    def details(self, rule: TextRule) -> tuple[str, ...]:
        legal = load_registry().rule(self.options(rule).fact)
        return (f"minst {legal.values['share_percent']} procent av de {legal.values.get('counted_over')}",)


_YEAR = r"(?:19|20)\d\d"
_NUMBER = rf"(?:\d{{1,3}}|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
_COUNTED = re.compile(rf"\b(?P<total>{_NUMBER})\s+(?:sysselsatta|anställda|personer|medarbetare|deltagare|arbetstagare)"
                      rf"[^.;]{{0,40}}?\bvarav\s+(?P<part>{_NUMBER})\b", re.IGNORECASE)
_MEETS = re.compile(r"(?:uppfyller|klarar|når|lever\s+upp\s+till)(?:\s+(?:inte|ej|aldrig))?(?:\s+(?:\w+\s+){0,2}?(?:andelskravet|kravet|gränsen))?"
                    r"|(?:inte|ej)\s+(?:uppfyller|klarar|når)", re.IGNORECASE)
_AT_MOST = re.compile(r"\b(?:högst|max(?:imalt|imum)?|som\s+mest|inte\s+fler\s+än|upp\s+till|inte\s+överstiga|inte\s+mer\s+än|"
                      r"inte\s+vara\s+(?:större|högre)\s+än)\b", re.IGNORECASE)


def _listed_wrongly(text: str, nouns: re.Pattern, listed: list) -> tuple[int, int, str] | None:
    """A list of the strategy's focus areas (or marks) with one that is not among them: "Strategins
    fokusområden är behov och efterfrågan, finansiering, offentlig upphandling, …". The registered
    names are taken out first (they hold "och" themselves); what is left between the separators
    is an item of the draft's own."""
    head = re.search(rf"(?:{nouns.pattern})(?:a|na)?\s*(?:är|:)\s*", text, re.IGNORECASE)
    if head is None:
        return None
    body = text[head.end():].rstrip(". ")
    known = 0
    for name in sorted(listed, key=len, reverse=True):
        found = re.search(re.escape(str(name)), body, re.IGNORECASE)
        if found is not None:
            known += 1
            body = body[:found.start()] + "|" * len(found.group()) + body[found.end():]
    if known < 2:
        return None     # not a list of them
    for item in re.finditer(r"[^,;|]+", re.sub(r"\b(?:och|samt)\b", ",", body)):
        words = item.group().strip()
        if len(re.findall(r"[\wåäö]{4,}", words)) >= 1:
            start = head.end() + item.start() + (len(item.group()) - len(item.group().lstrip()))
            return (start, start + len(words),
                    f"nämner något som inte är ett av strategins {len(listed)}: {', '.join(listed)}.")
    return None


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


# A count of focus areas or marks is at least two ("en" and "ett" are articles more often than numbers).
_COUNT_WORDS = {word: n for word, n in NUMBER_WORDS.items() if 2 <= n <= 10}


@dataclass(frozen=True)
class StrategyOptions:
    fact: str
    about: re.Pattern                # names the government's strategy
    end_words: re.Pattern            # before a year: the strategy ends then ("gäller till", "löper ut")
    decided_words: re.Pattern        # before a year: the strategy was decided then ("från", "beslutad")
    duty_words: re.Pattern           # duties for the kommun ("ålägger", "kommunerna ska")
    counts: dict[str, re.Pattern]    # a listed value of the fact → the nouns a draft counts it with ("fokusområden")
    others: re.Pattern | None = None  # another government's or body's strategy ("den skotska regeringen")


class FactStrategy(Kind[StrategyOptions]):
    name = "strategi"
    description = ("regeringens strategi för sociala företag: den har inget slutår, beslutades det år "
                   "faktaregistret anger och ålägger inte kommunerna något")
    fields = {"fact": {"type": "string", "minLength": 1}, "about": REGEXES, "end_words": REGEXES,
              "decided_words": REGEXES, "duty_words": REGEXES,
              "counts": {"type": "object", "additionalProperties": REGEXES}, "others": REGEXES}
    required = ("fact", "about", "end_words", "decided_words", "duty_words")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> StrategyOptions:
        fact = known_fact(entry, fail)
        if "decided" not in load_registry().rule(fact).values:
            raise fail(f"uppgiften {fact} har inget beslutsdatum (decided)", ["fact"],
                       "peka på strategin i faktaregistret")
        values = load_registry().rule(fact).values
        for key in entry.get("counts", {}):
            if not isinstance(values.get(key), list):
                raise fail(f"uppgiften {fact} har ingen lista {key} att räkna", ["counts", key],
                           "använd en lista ur faktaregistret, t.ex. focus_areas")
        counts = {key: compile_alternatives(nouns, fail, ["counts", key]) for key, nouns in entry.get("counts", {}).items()}
        return StrategyOptions(fact, compile_alternatives(entry["about"], fail, ["about"]), compile_alternatives(entry["end_words"], fail, ["end_words"]),
                               compile_alternatives(entry["decided_words"], fail, ["decided_words"]),
                               compile_alternatives(entry["duty_words"], fail, ["duty_words"]), counts,
                               compile_alternatives(entry["others"], fail, ["others"]) if "others" in entry else None)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        decided = date.fromisoformat(str(registry.rule(options.fact).values["decided"]))
        hits: list[TextHit] = []
        previous_named = False
        previous: ClaimSentence | None = None
        listed = list(sentences(texts))
        asking = only_asking(listed)
        for sentence in listed:
            text = sentence.text
            question, previous = previous, sentence
            if id(sentence) in asking:
                previous_named = bool(options.about.search(text))
                continue    # "F: Måste kommunen följa regeringens strategi? S: Nej, …" asks, it does not say
            if question is not None and question.unit is sentence.unit and question.text.rstrip().endswith("?") \
                    and options.about.search(question.text):
                # "F: Hur länge gäller regeringens strategi? S: Till och med 2025.": judged as one statement
                joined = sentence.unit.text[question.start:sentence.end]
                found = self._claim(options, joined, 0, decided)
                if found is not None and found[1] > sentence.start - question.start:
                    start, end, explanation = found
                    start = max(start, sentence.start - question.start)   # the evidence lies in the answer
                    hits.append(make_hit(rule, sentence.unit, question.start + start, question.start + end, None,
                                         fact=options.fact, förklaring=explanation, **fact_fields(registry, options.fact)))
                    continue
            named = options.about.search(text) or _identified(text, registry.rule(options.fact).values, decided)
            if named and options.others is not None and options.others.search(text):
                named = None     # "den skotska regeringen fastställde sin strategi": not the Swedish one
            # "Strategin är bindande …" right after a sentence that names the strategy speaks of it too.
            named_at = named.start() if named else (
                m.start() if previous_named and (m := re.search(r"\b[Ss]trategin\b", text)) else None)
            previous_named = named is not None
            if named_at is None:
                continue
            found = self._claim(options, text, named_at, decided) or self._count(
                options, text, named_at, registry.rule(options.fact).values)
            if found is None:
                continue
            start, end, explanation = found
            hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                 fact=options.fact, förklaring=explanation, **fact_fields(registry, options.fact)))
        return hits

    @staticmethod
    def _claim(options: StrategyOptions, text: str, named_at: int, decided: date) -> tuple[int, int, str] | None:
        """What the sentence wrongly says of the strategy named at `named_at`: only
        what follows the name speaks of it ("Handlingsplanen gäller 2026–2028 och
        bygger på regeringens strategi" gives the plan's period, not the strategy's)."""
        # What follows another document's name speaks of that one ("…, och kommunens policy från 2025 gäller till 2028").
        other = _OTHER_DOCUMENT.search(text, named_at + 1)
        if other is not None:
            text = text[:other.start()]
        period = re.compile(rf"(?P<first>{_YEAR})\s*(?:–|—|-|till)\s*(?P<last>{_YEAR})").search(text, named_at)
        if period and int(period.group("last")) > decided.year and period.start() < named_at + 120:
            return (period.start(), period.end(),
                    f"ger strategin en period. Regeringen beslutade den {decided.isoformat()}; den har inget slutår. "
                    f"Skriv ”strategin från {decided.year}”.")
        ending = re.compile(rf"(?:{options.end_words.pattern})\s+(?:år\s+)?{_YEAR}", re.IGNORECASE).search(text, named_at)
        if ending:
            return (ending.start(), ending.end(),
                    f"ger strategin ett slut. Den beslutades {decided.isoformat()} och har inget slutår.")
        # The first year after the name is the strategy's year when a word of decision stands in the sentence.
        day = next((m for m in WRITTEN_TIME.finditer(text, named_at) if m.group("iso") or m.group("day")), None)
        # The decision word stands between the name and the date ("…, beslutad 2018-02-01"); a date
        # further on may be the kommun's own ("… lyfts i kommunens program, beslutat 2018-11-20").
        if day and day.start() < named_at + 120 and options.decided_words.search(text, named_at, day.start()) \
                and not re.search(r"\bkommun\w*|\bnämnd\w*|\bfullmäktige", text[named_at:day.start()], re.IGNORECASE):
            if differs_as_written(day, decided, decided.year) and (day.group("iso") or day.group("year"))[:4] == str(decided.year):
                return (day.start(), day.end(), f"anger fel datum: regeringen beslutade strategin {decided.isoformat()}.")
        year = re.compile(rf"(?<![\d-]){_YEAR}(?![\d-])").search(text, named_at)
        if year and year.start() < named_at + 120 and options.decided_words.search(text) \
                and int(year.group()) != decided.year:
            return (year.start(), year.end(), f"anger fel år: regeringen beslutade strategin {decided.isoformat()}.")
        duty = options.duty_words.search(text, max(0, named_at - 60))
        # "innehåller inga krav som kommunen är skyldig att uppfylla": the negation governs the relative clause too.
        if duty and not negated_before(text, duty.start(), 3) and not _NEGATION_AFTER.match(text, duty.end()) \
                and not _NEGATED_RELATIVE.search(text, 0, duty.start()):
            return (duty.start(), duty.end(),
                    "säger att strategin ålägger kommunen något. Den är regeringens och ger kommunerna inga "
                    "skyldigheter; kommunen väljer själv vad den åtar sig.")
        return None

    @staticmethod
    def _count(options: StrategyOptions, text: str, named_at: int, values: dict) -> tuple[int, int, str] | None:
        """A number of focus areas (or marks) given for the strategy that is not the number it has,
        or something named as one of them that is none ("Offentlig upphandling är ett av de fem
        fokusområdena")."""
        for key, nouns in options.counts.items():
            listed = values[key]
            if (wrong := _listed_wrongly(text, nouns, listed)) is not None:
                return wrong
            member = re.compile(rf"(?P<item>(?:[\w-]+\s+(?:och\s+)?){{1,4}}?)(?:är|utgör)\s+(?:ett|en)\s+av\s+(?:de\s+)?"
                                rf"(?:\w+\s+)?(?:{nouns.pattern})(?:a|na)?\b", re.IGNORECASE).search(text)
            if member:
                stems = {w.lower()[:6] for name in listed for w in re.findall(r"[\wåäö]{5,}", name)}
                said = [w.lower()[:6] for w in re.findall(r"[\wåäö]{5,}", member.group("item"))]
                if said and not any(stem in stems for stem in said):
                    return (member.start("item"), member.end(),
                            f"nämner något som inte är ett av strategins {len(listed)}: {', '.join(listed)}.")
            pattern = re.compile(rf"(?<![\d,.])(?P<n>\d{{1,2}}|{'|'.join(_COUNT_WORDS)})\s+(?:[\w-]+\s+){{0,2}}?"
                                 rf"(?:{nouns.pattern})(?:a|na)?\b", re.IGNORECASE)
            for match in pattern.finditer(text, named_at):
                if match.start() > named_at + 200:
                    break
                word = match.group("n").lower()
                number = int(word) if word.isdigit() else _COUNT_WORDS[word]
                if number != len(listed):
                    return (match.start(), match.end(),
                            f"anger {number} där strategin har {len(listed)}: {', '.join(listed)}.")
        return None

    def details(self, rule: TextRule) -> tuple[str, ...]:
        legal = load_registry().rule(self.options(rule).fact)
        return (f"beslutad {legal.values['decided']}, inget slutår, inga skyldigheter för kommunerna",)


@dataclass(frozen=True)
class DutyOptions:
    attribution: re.Pattern          # the sentence says the law says it ("enligt LOU", "lagen kräver")
    duty: re.Pattern                 # words of duty ("ska", "måste", "kräver", "är skyldig")
    universal: re.Pattern            # "alla", "samtliga", "även vid direktupphandling"
    own_voice: re.Pattern            # the document's own decision ("enligt denna policy")
    denial: re.Pattern | None = None  # words that deny a duty ("behöver inte", "omfattas inte av någon …plikt")


_STRENGTH = {"får": 0, "bör": 1, "ska": 2}
# Words that themselves say "obliged": with them the law may be named anywhere in the sentence
# ("… är skyldiga att registrera sig enligt lag (2022:900)"); a plain "ska" needs the law before it
# or right after ("vi ska reservera kontrakt enligt 4 kap. 18 §" names the law as the means).
_OBLIGED = re.compile(r"skyldig|förpliktig|ålägg|tvingande|obligatorisk", re.IGNORECASE)


def _negated_after(text: str, position: int) -> bool:
    """"kräver inte", "ska inte": a negation right after the verb."""
    return bool(re.match(r"\s+(?:inte|ej|icke|aldrig)\b", text[position:], re.IGNORECASE))


class FactDuties(Kind[DutyOptions]):
    name = "skyldighet"
    description = ("ett lagrum återgivet med fel styrka: ett bör eller får i lagen skrivet som ska, måste eller "
                   "krav; ett ska som bara gäller ibland skrivet som alltid (ämnen och styrka ur faktaregistret)")
    fields = {"attribution": REGEXES, "duty": REGEXES, "universal": REGEXES, "own_voice": REGEXES, "denial": REGEXES}
    required = ("attribution", "duty", "universal", "own_voice")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> DutyOptions:
        attribution, duty, universal, own_voice = (compile_alternatives(entry[key], fail, [key])
                                                   for key in ("attribution", "duty", "universal", "own_voice"))
        return DutyOptions(attribution, duty, universal, own_voice,
                           compile_alternatives(entry["denial"], fail, ["denial"]) if "denial" in entry else None)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        modal_paragraphs = [p for p in registry.paragraphs if p.modal]
        hits: list[TextHit] = []
        denied_duties = [p for p in modal_paragraphs if p.modal == "ska" and p.named_by]
        listed = list(sentences(texts))
        asking = only_asking(listed)
        for sentence in listed:
            text = sentence.text
            if id(sentence) in asking:
                continue    # a yes/no question not answered "Ja" states no duty
            if options.denial is not None and (denied := self._denied(options, denied_duties, text, facts.today)):
                paragraph, start, end, explanation = denied
                hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                     fact=paragraph.id, förklaring=explanation, **fact_fields(registry, paragraph.id)))
                continue
            if not options.attribution.search(text) or options.own_voice.search(text):
                continue
            lowered = text.lower()
            for law in registry.laws:
                lowered = law.without_titles(lowered)
            subjects = [p for p in modal_paragraphs if any(word in lowered for word in p.words)]
            if not subjects:
                # The paragraph cited by number names the subject ("4 kap. 3 § LOU är numera en ska-regel").
                cited_refs = [ref for m in _CITED_PARAGRAPH.finditer(text) if (ref := parse_ref(m.group())) is not None]
                subjects = [p for p in modal_paragraphs if p.ref.chapter is not None
                            and any(ref.chapter is not None and ref.paragraph is not None and ref.within(p.ref)
                                    for ref in cited_refs)]
            if not subjects:
                continue
            # The law is said to require it: named before the duty word or right after it ("ska enligt LOU");
            # "vi ska pröva att reservera kontrakt enligt 4 kap. 18 §" cites the law for something else.
            first_attribution = options.attribution.search(text)
            duty = next((m for m in options.duty.finditer(text) if not negated_before(text, m.start(), 2)
                         and first_attribution is not None and (first_attribution.start() <= m.end() + 12
                                                                or _OBLIGED.match(m.group()))
                         # "… får direktupphandlas enligt LOU, men upphandlaren ska ändå …": the law is
                         # named for the first half, the duty is the writer's own.
                         and not _TURN.search(text, min(first_attribution.end(), m.start()),
                                              max(first_attribution.start(), m.end()))
                         and not _negated_after(text, m.end())
                         and not time_frame(text, m.start(), m.end(), facts.today).historical), None)
            if duty is None:
                continue
            found = self._judge(options, subjects, text, lowered, duty.end())
            if found is None:
                continue
            paragraph, explanation = found
            word = duty.group().lower()
            replacement = paragraph.modal if paragraph.modal == "bör" and word in ("ska", "skall", "måste") else None
            hits.append(make_hit(rule, sentence.unit, sentence.start + duty.start(), sentence.start + duty.end(),
                                 replacement, fact=paragraph.id, förklaring=explanation,
                                 **fact_fields(registry, paragraph.id)))
        return hits

    @staticmethod
    def _denied(options: DutyOptions, duties: list, text: str, today: date) -> tuple[Any, int, int, str] | None:
        """A duty the law imposes, said not to exist ("Direktupphandlingar omfattas inte av någon
        dokumentationsplikt", "Arbetsrättsliga villkor behöver aldrig ställas"). The document's own
        voice does not excuse it: a kommun cannot decide away a duty in law. A sentence that names
        the duty's condition (an amount, the thresholds) may be speaking of the cases outside it
        ("under 100 000 kronor behöver … inte dokumenteras"), which is right: it is left alone."""
        assert options.denial is not None
        denial = options.denial.search(text)
        if denial is None or time_frame(text, denial.start(), denial.end(), today).historical:
            return None
        lowered = text.lower()
        # "… är frivilliga även i upphandlingar över EU:s tröskelvärden": the denial reaches into the
        # very case the duty is for.
        reaches = re.search(r"\b(?:även|också|oavsett|inte\s+ens)\b", lowered) is not None
        conditioned = re.search(r"\d|tröskelvärde|gräns|belopp|\?|\b(?:om|när|där|ifall|såvida)\s+(?:det|den|de|värdet|"
                                r"kontraktet|upphandlingen|köpet|kommunen|man|inte|ej)\b", lowered) is not None
        for paragraph in duties:
            in_case = any(word in lowered for word in paragraph.only_when)
            if (conditioned or in_case) and not (reaches and in_case):
                continue    # a condition, an amount or a question: not a denial of the duty as such
            # The duty's own words stand in the clause of the denial (within a few words of it).
            near = lowered[max(0, denial.start() - 80):denial.end() + 80]
            if any(word in near for word in paragraph.named_by):
                when = f" {paragraph.condition}" if paragraph.condition else ""
                cited = f"{paragraph.ref.text()} {load_registry().law(paragraph.law).label()}"
                return paragraph, denial.start(), denial.end(), (
                    f"säger att {paragraph.subject} inte krävs, men {cited} kräver det{when}. "
                    f"Kommunen kan inte besluta bort en skyldighet i lag.")
        return None

    @staticmethod
    def _judge(options: DutyOptions, subjects: list, text: str, lowered: str, duty_at: int) -> tuple[Any, str] | None:
        """The paragraph the duty misstates, and why; None when one of the
        sentence's subjects really is a duty."""
        registry = load_registry()

        def cited(paragraph: Any) -> str:
            return f"{paragraph.ref.text()} {registry.law(paragraph.law).label()}"

        unconditional = [p for p in subjects if p.modal == "ska" and not p.only_when]
        if unconditional:
            return None
        conditional = [p for p in subjects if p.modal == "ska" and p.only_when]
        for paragraph in conditional:
            if any(word in lowered for word in paragraph.only_when):
                return None
            if options.universal.search(text):
                where = paragraph.condition or "där lagen säger det"
                return paragraph, (f"gör ett villkorat krav till ett krav i alla fall: {cited(paragraph)} om "
                                   f"{paragraph.subject} gäller bara {where}.")
            return None
        # A duty about a paragraph's own requirement ("30 % ska tillhöra målgruppen") is right.
        subjects = [p for p in subjects if not any(word in lowered for word in p.duties)]
        if not subjects:
            return None
        def distance(paragraph: Any) -> int:
            # The subject the duty is about: of equal strength, the one whose words stand nearest the duty word.
            places = [i for w in paragraph.words for i in [lowered.find(w, max(0, duty_at - 200))] if i >= 0]
            return min((abs(i - duty_at) for i in places), default=10_000)

        weakest = min(subjects, key=lambda p: (_STRENGTH[p.modal or "ska"], distance(p)))
        if weakest.modal == "bör":
            return weakest, (f"gör en bör-regel till en skyldighet: {cited(weakest)} säger att myndigheten bör "
                             f"beakta {weakest.subject} om upphandlingens art motiverar det. Vill kommunen åta sig mer "
                             f"kan den skriva det som sitt eget beslut.")
        when = f" {weakest.condition}" if weakest.condition else ""
        return weakest, (f"gör en möjlighet till en skyldighet: {cited(weakest)} tillåter {weakest.subject}{when}, "
                         f"men kräver det inte.")
