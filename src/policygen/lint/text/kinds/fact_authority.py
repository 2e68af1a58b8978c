"""Kind `beslutsordning`: what a draft says a body's decision does, compared
with who may decide what in a kommun (the organisation model of the
generator's profile, profile/organisation.py, and the registry's rule).

A document binds the body that adopted it and that body's own förvaltning.
Only fullmäktige binds every nämnd, gives a nämnd its political
responsibility (in the reglementen) or binds itself; only the adopting body
revises its document (another body can propose a change); a kommun's
companies are bound through an ägardirektiv at the bolagsstämma, not by the
policy itself. The draft's adopter is the body a sentence names ("som antas
av arbetsmarknadsnämnden") or, failing that, the one the document's own
metadata or text gives ("Beslutad av: Kommunstyrelsen")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.facts.registry import load_registry
from policygen.lint.text.claims import question_before, sentences
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
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields
from policygen.lint.text.kinds.fact_statements import known_fact
from policygen.profile.organisation import FULLMAKTIGE, Body, body_of

# A body as drafts name it: "kommunfullmäktige", "Kommunstyrelsen", "arbetsmarknadsnämnden",
# "tekniska nämnden", "regionstyrelsen".
_BODY = (r"(?P<body>(?:kommun|region)fullmäktige|(?:kommun|region)styrelsen"
         r"|(?:(?!(?:av|som|att|och|de|den|det|får|ska|alla|samtliga|andra|övriga)\b)[\wåäö-]+[ae]\s+)?[\wåäö-]*nämnden"
         r"|[\wåäö-]*utskottet|fullmäktige"
         # officials, who decide only under delegation
         r"|förvaltningschef\w*|kommundirektör\w*|regiondirektör\w*|stadsdirektör\w*|enhetschef\w*|avdelningschef\w*)")


# "socialnämnden har antagit handlingsplanen"
_ACTIVE_ADOPTION = re.compile(rf"{_BODY}\s+(?:har\s+|hade\s+)?(?:antagit|antog|beslutat|beslutade|fastställt|fastställde)\b",
                               re.IGNORECASE)
# "socialnämndens handlingsplan": the body's own document
_OWNED = re.compile(rf"{_BODY}s\s+(?:\w+\s+)?(?:handlingsplan|plan|policy|riktlinje|riktlinjer|program|verksamhetsplan)\b",
                    re.IGNORECASE)
# "den fullmäktigeantagna policyn"
_COMPOUND_ADOPTED = re.compile(r"\b(?P<body>(?:kommun|region)?fullmäktige|(?:kommun|region)styrelse)-?(?:antag|beslut|fastställ)\w*",
                               re.IGNORECASE)
# "denna av kommunfullmäktige antagna policy"
_ADOPTED_BEFORE = re.compile(rf"\bav\s+{_BODY}\s+(?:antagna|antagen|antaget|beslutade|beslutad|fastställda|fastställd)\b",
                             re.IGNORECASE)


@dataclass(frozen=True)
class AuthorityOptions:
    fact: str
    adopted: re.Pattern          # before a body: it adopts the document ("antas av", "Beslutad av:")
    binds: re.Pattern            # the document binds someone ("är bindande för", "ska följas av")
    wide: re.Pattern             # … beyond the adopter's own field ("samtliga nämnder", "hela kommunen")
    companies: re.Pattern        # the kommun's companies
    company_route: re.Pattern    # how companies are really bound (ägardirektiv, bolagsstämma)
    revise: re.Pattern           # a change of the document ("revidera", "ändra")
    proposal: re.Pattern         # a proposal or a delegation: within another body's power
    responsibility: re.Pattern   # a body given the political responsibility
    document: re.Pattern         # the draft itself ("policyn", "riktlinjen", "dokumentet", "den")


class FactAuthority(Kind[AuthorityOptions]):
    name = "beslutsordning"
    description = ("vad ett beslut sägs göra: ett dokument som en nämnd eller styrelsen antar binder inte andra "
                   "nämnder, bolag eller fullmäktige och ger ingen annan nämnd det politiska ansvaret; bara det "
                   "organ som antog dokumentet ändrar det")
    fields = {"fact": {"type": "string", "minLength": 1}, "adopted": REGEXES, "binds": REGEXES, "wide": REGEXES,
              "companies": REGEXES, "company_route": REGEXES, "revise": REGEXES, "proposal": REGEXES,
              "responsibility": REGEXES, "document": REGEXES}
    required = ("fact", "adopted", "binds", "wide", "companies", "company_route", "revise", "proposal",
                "responsibility", "document")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> AuthorityOptions:
        return AuthorityOptions(known_fact(entry, fail), *(compile_alternatives(entry[key], fail, [key]) for key in (
            "adopted", "binds", "wide", "companies", "company_route", "revise", "proposal", "responsibility",
            "document")))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        adopter_of_document = self._document_adopter(options, texts)
        hits: list[TextHit] = []
        previous = ""
        for sentence in sentences(texts):
            text = sentence.text
            asked = question_before(previous)
            previous = text
            if not (options.binds.search(text) or options.revise.search(text) or options.responsibility.search(text)):
                continue    # nothing said of what a decision does: most sentences end here, cheaply
            # The adopter named in the sentence, or in the question it answers ("F: Måste alla nämnder följa
            # socialnämndens handlingsplan? S: Ja, planen binder samtliga nämnder").
            named = self._adopter(options, text)
            in_question = self._adopter(options, asked) if asked and named is None else None
            adopter = named[0] if named else in_question[0] if in_question else adopter_of_document
            found = self._judge(options, text, adopter, named[1] if named else None)
            if found is None:
                continue
            start, end, explanation = found
            hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                 fact=options.fact, förklaring=explanation, **fact_fields(registry, options.fact)))
        return hits

    @staticmethod
    def _adopter(options: AuthorityOptions, text: str) -> tuple[Body, re.Match] | None:
        match = re.search(rf"(?:{options.adopted.pattern})\s*:?\s*{_BODY}", text, re.IGNORECASE) or \
            _ACTIVE_ADOPTION.search(text) or _OWNED.search(text) or _ADOPTED_BEFORE.search(text) or \
            _COMPOUND_ADOPTED.search(text)
        return (body_of(match.group("body")), match) if match else None

    def _document_adopter(self, options: AuthorityOptions, texts: Texts) -> Body | None:
        """The body the draft's metadata names as its adopter ("Beslutad av: Kommunstyrelsen")."""
        for unit in texts.units:
            if unit.kind in ("metadata", "tabell"):
                found = self._adopter(options, unit.text)
                if found:
                    return found[0]
        return None

    @staticmethod
    def _judge(options: AuthorityOptions, text: str, adopter: Body | None,
               adoption: re.Match | None) -> tuple[int, int, str] | None:
        below = adopter is not None and adopter.kind != FULLMAKTIGE
        # Only what the draft says of itself counts: the document binds ("Riktlinjen är bindande för …"),
        # the document gives responsibility ("Genom planen får …"), the document is revised ("får revidera
        # den"). "Upphandlingsreglerna är bindande för samtliga nämnder" is about the law.
        binding = options.binds.search(text)
        if binding and not options.document.search(text, 0, binding.end()):   # "bolagen är bundna av policyn"
            binding = None
        company = options.companies.search(text)
        gap = (max(company.start(), binding.start()) - min(company.end(), binding.end())) if binding and company else 99
        if binding and company and not options.company_route.search(text) and gap < 40:
            return (min(binding.start(), company.start()), max(binding.end(), company.end()),
                    "säger att dokumentet binder kommunens bolag. Bolagen binds först när bolagsstämman antar ett "
                    "ägardirektiv som säger det; skriv det, eller att kommunfullmäktige ger ett sådant direktiv.")
        if below and adopter is not None:
            wide = next((m for m in options.wide.finditer(text)
                         if binding and 0 <= m.start() - binding.end() < 40 and not adopter.same_as(m.group())), None) or \
                next((m for m in re.finditer(_BODY, text, re.IGNORECASE)    # another body by name: "tekniska nämnden"
                      if binding and 0 <= m.start() - binding.end() < 40 and not adopter.same_as(m.group("body"))
                      and (adoption is None or m.start() != adoption.start("body"))), None)
            if binding and wide:
                return (binding.start(), wide.end(),
                        f"låter ett beslut av {adopter.name.lower()} binda mer än {adopter.name.lower()}s eget "
                        "ansvarsområde. Ett dokument som en nämnd eller styrelsen antar gäller deras egen "
                        "verksamhet; ska det gälla alla nämnder behöver fullmäktige anta det.")
            given = options.responsibility.search(text)
            if given and options.document.search(text):
                other = [m for m in re.finditer(_BODY, text, re.IGNORECASE)
                         if not adopter.same_as(m.group("body")) and (adoption is None or m.start() != adoption.start("body"))]
                if other and not options.proposal.search(text):
                    return (given.start(), given.end(),
                            f"låter {adopter.name.lower()} ge {other[0].group('body').lower()} det politiska ansvaret. "
                            "Nämndernas ansvar bestäms av fullmäktige i reglementena; dokumentet kan bara hänvisa "
                            "till dem.")
        # Revision by another body than the adopter.
        revision = options.revise.search(text)
        # "ändringar i den fullmäktigeantagna policyn": the document after a preposition and its attribute
        following = re.sub(r"^\s*(?:i|av|på)\s+(?:den|denna|det)\s+(?:[\wåäö-]+\s+)?", "",
                           text[revision.end():revision.end() + 60]) if revision else ""
        if revision and not options.document.match(following.lstrip()):
            revision = None      # "ändra sina rutiner", "ompröva ett beslut om bidrag": not the document
        if adopter is not None and revision and not options.proposal.search(text):
            for body in re.finditer(_BODY, text, re.IGNORECASE):
                if adoption is not None and body.start() == adoption.start("body"):
                    continue
                if adopter.same_as(body.group("body")) or not 0 <= revision.start() - body.end() < 50:
                    continue
                return (body.start(), revision.end(),
                        f"låter {body.group('body').lower()} ändra ett dokument som {adopter.name.lower()} har "
                        "antagit. Bara det organ som antog dokumentet kan revidera det; andra kan föreslå ändringar.")
        return None

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return ("ett dokument binder det organ som antog det och dess förvaltning; bolag genom ägardirektiv; "
                "ansvar ges i fullmäktiges reglementen; bara det antagande organet reviderar",)
