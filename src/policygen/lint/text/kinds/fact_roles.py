"""Kind `ansvar`: which body does a task – keeps a register, runs a fund, has
supervision, sets criteria – compared with the registry's `responsible`
("Registret över idéburna organisationer förs av Bolagsverket", "Medel ur
ESF+ söks hos Tillväxtverket", "Upphandlingsmyndigheten har tillsyn över
upphandlingar"). A task no body has ("varje IOP ska godkännas av
Kammarkollegiet") is wrong with any body as its doer.

A body counts as the task's doer only in a doer's place next to the task: after
"av", "hos", "via", "genom" ("förs av Bolagsverket"), as the subject of a
doing verb just before it ("Tillväxtverket förvaltar ESF+"), right after the
task in an inverted clause ("För registret svarar Bolagsverket"), or in the
genitive before it ("Bolagsverkets register över …"). A body merely mentioned
in the same sentence is no claim; a sentence that also gives the task to the
right body, negates the link, tells history or asks a yes/no question says
nothing wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.facts.registry import Registry, load_registry
from policygen.lint.text.claims import (
    NEGATIONS,
    clause_of,
    negated_before,
    only_asking,
    sentences,
    time_frame,
    words_of,
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
    fixed_texts,
    make_hit,
)
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields


@dataclass(frozen=True)
class Task:
    fact: str                      # the registry rule that says who does it
    names: re.Pattern              # how drafts name the task
    context: re.Pattern | None     # the sentence must also say this ("tillsyn" about upphandling)
    responsible: str | None        # the body that does it; None: no body does
    nobody: str | None             # why no body does it, for the message
    shared_with: frozenset[str] = frozenset()   # bodies with a part in it too (the Commission decides ESF+'s frame)
    literals: tuple[str, ...] | None = None     # text one of the names must hold (None: no such text)


@dataclass(frozen=True)
class RoleOptions:
    tasks: tuple[Task, ...]
    bodies: tuple[tuple[str, re.Pattern], ...]   # a body's name → how drafts write it (also in the genitive)
    by_words: re.Pattern      # just before a body: it is the doer ("av", "hos", "via", "vänder sig till")
    doer_verbs: re.Pattern    # between a body and the task: the body does it ("förvaltar", "har hand om")
    by_at_end: re.Pattern     # a by-word ending the text before a body
    verb_at_end: re.Pattern   # a doing verb ending the text before a body (inverted order)


# Between a task and its doer nothing may join another thing: "ESF-medel och råd från Coompanion".
_JOINS = re.compile(r"\b(?:och|samt|eller|men|utan|respektive)\b|[,;:]", re.IGNORECASE)
_MAX_WORDS_BETWEEN = 6
_ADVERB = re.compile(r"^(?:(?:också|även|själv|numera|dessutom|alltid|fortfarande|ensam|nu)\s+)+", re.IGNORECASE)


class FactRoles(Kind[RoleOptions]):
    name = "ansvar"
    description = ("vilken myndighet eller organisation som gör en uppgift – för ett register, förvaltar en fond, "
                   "har tillsyn, fastställer kriterier – jämfört med faktaregistret; en uppgift som ingen har "
                   "(att godkänna ett IOP) är fel med vem som helst som utförare")
    fields = {"tasks": {"type": "array", "minItems": 1, "items": {
                  "type": "object", "additionalProperties": False, "required": ["fact", "names"],
                  "properties": {"fact": {"type": "string", "minLength": 1}, "names": REGEXES, "context": REGEXES,
                                 "nobody": {"type": "string", "minLength": 1},
                                 "shared_with": {"type": "array", "items": {"type": "string", "minLength": 1}}}}},
              "bodies": {"type": "object", "minProperties": 1, "additionalProperties": REGEXES},
              "by_words": REGEXES, "doer_verbs": REGEXES}
    required = ("tasks", "bodies", "by_words", "doer_verbs")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> RoleOptions:
        registry = load_registry()
        bodies = tuple((name, compile_alternatives(words, fail, ["bodies", name])) for name, words in entry["bodies"].items())
        tasks = []
        for index, item in enumerate(entry["tasks"]):
            key = ["tasks", index]
            if item["fact"] not in {rule.id for rule in registry.rules}:
                raise fail(f"uppgiften {item['fact']} finns inte bland faktaregistrets regler", [*key, "fact"],
                           "använd ett id ur rules: i lint_rules/faktaregister.yaml")
            responsible = registry.rule(item["fact"]).values.get("responsible")
            if "nobody" in item:
                responsible = None
            elif responsible is None:
                raise fail(f"uppgiften {item['fact']} har inget ansvarigt organ (responsible) i faktaregistret",
                           [*key, "fact"], "lägg till responsible i faktaregistret, eller nobody: här om ingen gör det")
            elif responsible not in dict(bodies):
                raise fail(f"{responsible} saknas under bodies:", [*key, "fact"],
                           f"lägg till {responsible} med de ord utkast använder för det under bodies:")
            for other in item.get("shared_with", []):
                if other not in dict(bodies):
                    raise fail(f"{other} saknas under bodies:", [*key, "shared_with"], f"lägg till {other} under bodies:")
            tasks.append(Task(item["fact"], compile_alternatives(item["names"], fail, [*key, "names"]),
                              compile_alternatives(item["context"], fail, [*key, "context"]) if "context" in item else None,
                              responsible, item.get("nobody"), frozenset(item.get("shared_with", [])),
                              fixed_texts(item["names"])))
        by_words = compile_alternatives(entry["by_words"], fail, ["by_words"])
        doer_verbs = compile_alternatives(entry["doer_verbs"], fail, ["doer_verbs"])
        return RoleOptions(tuple(tasks), bodies, by_words, doer_verbs,
                           re.compile(rf"(?:{by_words.pattern})\s+(?:den\s+|det\s+)?$", re.IGNORECASE),
                           re.compile(rf"(?:{doer_verbs.pattern})\s*$", re.IGNORECASE))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        hits: list[TextHit] = []
        listed = list(sentences(texts))
        asking = only_asking(listed)
        for sentence in listed:
            text = sentence.text
            if id(sentence) in asking:
                continue   # "Har Upphandlingsmyndigheten tillsyn …?" asks, it does not say
            found = self._wrong_doer(options, registry, text, facts)
            if found is None:
                continue
            task, start, end, explanation = found
            hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, None,
                                 fact=task.fact, förklaring=explanation, **fact_fields(registry, task.fact)))
        return hits

    def _wrong_doer(self, options: RoleOptions, registry: Registry, text: str,
                    facts: DraftFacts) -> tuple[Task, int, int, str] | None:
        # Tasks are named in few sentences; look for the bodies only where one is. A task whose names
        # all hold a fixed text is looked for with a substring test first.
        lowered = text.lower()
        if not any((any(lit in lowered for lit in task.literals) if task.literals is not None else True)
                   and task.names.search(text) for task in options.tasks):
            return None
        named = [(body, match) for body, words in options.bodies for match in words.finditer(text)]
        if not named:
            return None
        for task in options.tasks:
            for mention in task.names.finditer(text):
                if task.context is not None and not task.context.search(text, *clause_of(text, mention.start(), mention.end())):
                    continue   # "tillsyn över socialtjänsten, som kommunen också upphandlar"
                doers = [(body, match) for body, match in named if self._does(options, text, mention, match)]
                if any(body == task.responsible for body, _ in doers):
                    continue   # the right body does it too: "förs av Kammarkollegiet (tidigare Bolagsverket)"
                for body, match in doers:
                    if body in task.shared_with:
                        continue
                    # Told as history ("fördes tidigare av …"): judged on the words up to the pair, so a
                    # later "innan det tecknas" does not make the claim a past one.
                    told_to = max(mention.end(), match.end())
                    if time_frame(text[:told_to], mention.start(), mention.end(), facts.today).historical:
                        continue
                    name = registry.rule(task.fact).name
                    if task.responsible is None:
                        explanation = f"anger {match.group()} som den som gör något som ingen gör: {task.nobody}."
                    else:
                        explanation = f"anger fel organ: {name} sköts av {task.responsible}, inte av {body}."
                    return task, match.start(), match.end(), explanation
        return None

    @staticmethod
    def _does(options: RoleOptions, text: str, task: re.Match, body: re.Match) -> bool:
        """Whether `body` stands in a doer's place next to `task` in their clause: the link
        between them holds a doing verb ("förs av", "förvaltar", "har tillsyn"), or the body
        is where the task is kept ("hos", "via")."""
        first, last = clause_of(text, min(task.start(), body.start()), max(task.start(), body.start()))
        if not (first <= body.start() and body.end() <= last):
            return False
        before_body = text[max(first, body.start() - 40):body.start()]
        by = options.by_at_end.search(before_body)
        word = by.group().lower().split()[0] if by is not None else ""
        if body.start() >= task.start():
            # The task first: "… förs av Bolagsverket", "… söks hos Tillväxtverket", "För registret svarar X".
            between = text[task.end():body.start()] if body.start() >= task.end() else ""
            if _unlinked(between):
                return False
            if by is not None:
                # "hos"/"via" say where the task is kept; "av", "genom", "från" need a doing verb, in the
                # link or in the task's own words ("IOP … godkännas av"); "hämtas från Sofisam" is where a
                # text is read, not who made it.
                return word in ("hos", "via", "vänder", "vänd", "vända") or \
                    options.doer_verbs.search(between) is not None or _verb_in_task(options, task.group())
            # Inverted: the verb right before the body ("För tillsynen över upphandling svarar X").
            return options.verb_at_end.search(between) is not None
        # The body first: "Tillväxtverket förvaltar ESF+", "hos Bolagsverket som idéburen organisation",
        # "Bolagsverkets register över idéburna organisationer".
        between = text[body.end():task.start()]
        # "Det är inte Upphandlingsmyndigheten som …": a negation among the three words before the body.
        if _unlinked(between) or negated_before(text, body.start(), 3):
            return False
        if by is not None:
            return (word in ("hos", "via") and len(between.split()) <= 3) or \
                options.doer_verbs.search(before_body) is not None
        if re.search(r"\b(?:med|till|för|om|enligt|från|än|som|och|samt|eller|att|på|i)\s+$", before_body, re.IGNORECASE):
            return False
        if len(between.split()) <= 3 and options.verb_at_end.search(before_body):
            return True   # inverted: "I Sverige förvaltar Tillväxtverket ESF+"
        if body.group().lower().endswith("s") and len(between.split()) <= 1:
            return True   # the genitive: "Bolagsverkets register över …"
        if not between.strip():
            return options.doer_verbs.match(task.group()) is not None   # "Bolagsverket registrerar idéburna …"
        verb_first = _ADVERB.sub("", between.strip())   # "Upphandlingsmyndigheten också utövar tillsynen"
        return len(between.split()) <= 4 and options.doer_verbs.match(verb_first) is not None


def _verb_in_task(options: RoleOptions, task: str) -> bool:
    """A doing verb in the task's own words ("IOP … godkännas av"); "för" there is the preposition
    of the task's name ("kriterierna för ASF"), not the verb."""
    return any(m.group().lower() != "för" for m in options.doer_verbs.finditer(task))


def _unlinked(between: str) -> bool:
    """Too far apart, joined to something else, or negated: no claim that the one does the other."""
    words = words_of(between)
    return len(words) > _MAX_WORDS_BETWEEN or bool(_JOINS.search(between)) or any(w in NEGATIONS for w in words)
