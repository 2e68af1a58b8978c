"""Coverage rules as data (lint_rules/skr.yaml), validated when loaded.

Each rule describes, following the review criteria in docs/granskning.md, what
a statement must contain for a part to be present and what only makes it
partial; lint/coverage/judge.py applies them to the statements of a draft."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.resources import lint_rules_dir
from policygen.infra.validation import load_validated
from policygen.infra.yamlio import locate
from policygen.lint.statements import (
    DEFINITION,
    DESCRIPTION,
    HEADING_PREFIX,
    OTHER,
    OWN,
)
from policygen.nlp.concepts import Lexicon, load_lexicon
from policygen.vocabulary import COVERAGE_IDS, DOC_TYPES, SEVERITIES

STATUSES = ("present", "partial", "missing")
# The one finding a draft about another subject gets (LINT-RUBRIC, general rules).
OFF_TOPIC_RULE = "SKR00"
OFF_TOPIC_MESSAGE = ("Utkastet handlar inte om sociala företag, social ekonomi, idéburen sektor eller IOP. "
                     "Därför räknas ingen av SKR:s delar som uppfylld. Kontrollera att du granskar rätt dokument, "
                     "eller skriv in hur kommunen arbetar med sociala företag.")
OFF_TOPIC_WHY = ("Granskningen gäller kommunens arbete med sociala företag; ett dokument om ett annat ämne "
                 "placerar inte den frågan politiskt bara för att det är antaget. (Källa: granskningsmallen "
                 "LINT-RUBRIC, allmänna regler.)")
# Concepts the program computes instead of looking them up (see concepts.yaml).
COMPUTED_CONCEPTS = ("@årtal", "@förklaring", "@definierar", "@iop_förklaring", "@ämnet_först", "@uppgift")
_RULE_VOICES = (OWN, OTHER, DEFINITION, DESCRIPTION)

_GROUPS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
_ALTERNATIVE = {"oneOf": [
    _GROUPS,
    {"type": "object", "additionalProperties": False, "required": ["begrepp"], "properties": {
        "begrepp": _GROUPS,
        "högst": {"enum": ["delvis"]},
        "skäl": {"type": "string", "minLength": 1},
    }},
]}
_EXAMPLES = {"type": "array", "minItems": 3, "items": {"type": "string", "minLength": 1}}
RULES_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["rules"],
    "properties": {"rules": {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "coverage_id", "name", "severity", "message", "why", "source", "om", "examples"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z]+[0-9]+$"},
            "coverage_id": {"enum": list(COVERAGE_IDS)},
            "name": {"type": "string", "minLength": 1},
            "severity": {"type": "object", "additionalProperties": False, "required": list(DOC_TYPES),
                         "properties": {t: {"enum": list(SEVERITIES)} for t in DOC_TYPES}},
            "message": {"type": "string", "minLength": 1},
            "why": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
            "om": {"type": "array", "minItems": 1, "items": _ALTERNATIVE},
            "röster": {"type": "array", "minItems": 1, "items": {"enum": list(_RULE_VOICES)}},
            "röster_delvis": {"type": "array", "minItems": 1, "items": {"enum": list(_RULE_VOICES)}},
            "uppgifter": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": False, "required": ["text", "begrepp"],
                "properties": {"text": {"type": "string", "minLength": 1}, "begrepp": _GROUPS}}},
            "finns": {"oneOf": [
                {"type": "array", "minItems": 1, "items": {"type": "array", "items": {"type": "string"}}},
                {"type": "object", "additionalProperties": False, "required": ["minst"],
                 "properties": {"minst": {"type": "integer", "minimum": 0}}},
            ]},
            "delvis": {"type": "array", "minItems": 1, "items": {"type": "array", "items": {"type": "string"}}},
            "omfång": {"enum": ["mening", "stycke"]},
            "metadata": {"enum": ["finns", "delvis", "nej"]},
            "nekad": {"enum": ["räknas", "räknas_inte"]},
            "delvis_om_ämnet": {"type": "string", "minLength": 1},
            # Judged whatever the draft is about: a property of the document itself (who adopts it, its purpose).
            "dokumentets_egenskap": {"type": "boolean"},
            "examples": {"type": "object", "additionalProperties": False, "required": list(STATUSES),
                         "properties": {s: _EXAMPLES for s in STATUSES}},
        }}}},
}


@dataclass(frozen=True)
class ConceptTest:
    """All groups must hold; a group holds when any of its concepts does ("a|b").
    A group written "!a" holds when a is absent."""
    groups: tuple[frozenset[str], ...]
    absent: frozenset[str] = frozenset()

    def holds(self, concepts: frozenset[str]) -> bool:
        return all(group & concepts for group in self.groups) and not (self.absent & concepts)


@dataclass(frozen=True)
class Anchor:
    """What makes a sentence a statement about the part."""
    test: ConceptTest
    at_most_partial: bool = False
    reason: str | None = None         # why such a statement is only partial


@dataclass(frozen=True)
class Specific:
    name: str
    text: str                         # Swedish, for reasons: "vem som följer upp"
    test: ConceptTest


@dataclass(frozen=True)
class CoverageRule:
    id: str
    coverage_id: str
    name: str
    severity: dict[str, str]
    message: str
    why: str
    source: str
    anchors: tuple[Anchor, ...]
    voices: frozenset[str]
    partial_voices: frozenset[str]              # voices that make a statement at most partial
    specifics: tuple[Specific, ...]
    present_when: tuple[tuple[str, ...], ...]   # alternatives: every named specific found
    present_at_least: int | None                # or: at least this many specifics
    partial_when: tuple[tuple[str, ...], ...]   # empty: the statement alone is partial
    paragraph_scope: bool
    metadata: str                               # finns | delvis | nej
    denial_counts: bool
    partial_if_on_topic: str | None
    examples: dict[str, tuple[str, ...]]          # status → sentences that must get it
    path: Path | None = None
    index: int = 0                                # position in the rule file, for line numbers
    tree: object = None                           # the parsed file (or a stand-in that parses on demand)
    document_property: bool = False               # judged in an off-topic draft too

    @property
    def bad_example(self) -> str:
        return self.examples["missing"][0]

    @property
    def good_example(self) -> str:
        return self.examples["present"][0]

    def example_line(self, status: str, number: int) -> int | None:
        """Line of an example in the rule file; the file is parsed only when this is asked."""
        return locate(self.tree, ["rules", self.index, "examples", status, number])[0]


def load_rules(path: Path | None = None) -> tuple[CoverageRule, ...]:
    return _load((path or lint_rules_dir() / "skr.yaml").resolve(), load_lexicon())


@cache
def _load(path: Path, lexicon: Lexicon) -> tuple[CoverageRule, ...]:
    data, root = load_validated(path, "regelfilen", RULES_SCHEMA,
                                "regelfilen har rules:; jämför med lint_rules/skr.yaml")
    known = set(lexicon.concepts) | set(COMPUTED_CONCEPTS)
    rules, seen_ids, seen_coverage = [], set(), set()
    for index, entry in enumerate(data["rules"]):
        def fail(message: str, key: list, hint: str, index: int = index) -> UserError:
            line, column = locate(root, ["rules", index, *key])
            return UserError(message, file=path, line=line, column=column, hint=hint)

        if entry["id"] in seen_ids:
            raise fail(f"regel-id {entry['id']} används två gånger", ["id"], "ge regeln ett eget id")
        if entry["coverage_id"] in seen_coverage:
            raise fail(f"täckningsid {entry['coverage_id']} har redan en regel", ["coverage_id"],
                       "slå ihop reglerna")
        seen_ids.add(entry["id"])
        seen_coverage.add(entry["coverage_id"])

        def test(groups: list[str], key: list) -> ConceptTest:
            out: list[frozenset[str]] = []
            absent: set[str] = set()
            for number, text in enumerate(groups):
                negative = text.startswith("!")
                group = frozenset(text.lstrip("!").split("|"))
                unknown = sorted(name for name in group if name.removeprefix(HEADING_PREFIX) not in known)
                if unknown:
                    raise fail(f"okänt begrepp '{unknown[0]}'", [*key, number],
                               "använd ett begrepp som finns i lint_rules/concepts.yaml (eller "
                               + ", ".join(COMPUTED_CONCEPTS) + "): " + ", ".join(sorted(lexicon.concepts)))
                if negative:
                    absent |= group
                else:
                    out.append(group)
            return ConceptTest(tuple(out), frozenset(absent))

        anchors = []
        for a_index, item in enumerate(entry["om"]):
            if isinstance(item, list):
                anchors.append(Anchor(test(item, ["om", a_index])))
            else:
                anchors.append(Anchor(test(item["begrepp"], ["om", a_index, "begrepp"]),
                                      item.get("högst") == "delvis", item.get("skäl")))
        specifics = tuple(Specific(name, spec["text"], test(spec["begrepp"], ["uppgifter", name, "begrepp"]))
                          for name, spec in (entry.get("uppgifter") or {}).items())
        names = {s.name for s in specifics}
        finns = entry.get("finns", [[]])
        present_when = tuple(tuple(alt) for alt in finns) if isinstance(finns, list) else ()
        present_at_least = finns.get("minst") if isinstance(finns, dict) else None
        partial_when = tuple(tuple(alt) for alt in entry.get("delvis", []))
        for key, alternatives in (("finns", present_when), ("delvis", partial_when)):
            for alternative in alternatives:
                for name in alternative:
                    if name not in names:
                        raise fail(f"'{name}' under {key}: är ingen uppgift i regeln", [key],
                                   "använd namnen under uppgifter: " + (", ".join(sorted(names)) or "(inga)"))
        if present_at_least is not None and present_at_least > len(specifics):
            raise fail(f"finns: minst {present_at_least} men regeln har bara {len(specifics)} uppgifter",
                       ["finns"], "sänk minst: eller lägg till uppgifter")
        examples = {status: tuple(entry["examples"][status]) for status in STATUSES}
        rules.append(CoverageRule(
            entry["id"], entry["coverage_id"], entry["name"], dict(entry["severity"]), entry["message"],
            entry["why"], entry["source"], tuple(anchors), frozenset(entry.get("röster", [OWN])),
            frozenset(entry.get("röster_delvis", [])), specifics,
            present_when, present_at_least, partial_when, entry.get("omfång", "mening") == "stycke",
            entry.get("metadata", "delvis"), entry.get("nekad") == "räknas", entry.get("delvis_om_ämnet"),
            examples, path, index, root, document_property=entry.get("dokumentets_egenskap", False)))
    missing = [cid for cid in COVERAGE_IDS if cid not in seen_coverage]
    if missing:
        raise UserError(f"regelfilen saknar regler för {', '.join(missing)}", file=path, line=1,
                        hint="varje täckningsid ska ha en regel")
    return tuple(rules)
