"""Lint rules as data (lint_rules/skr.yaml), validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policygen.errors import UserError
from policygen.lint.concepts import Lexicon, load_lexicon
from policygen.resources import lint_rules_dir
from policygen.validation import load_validated
from policygen.vocabulary import COVERAGE_IDS, DOC_TYPES
from policygen.yamlio import locate

SEVERITIES = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "fel", "warning": "varning", "info": "upplysning"}
STATUS_NAMES = {"present": "finns", "partial": "delvis", "missing": "saknas"}

_EVIDENCE = {
    "type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
    "properties": {scope: {"type": "array", "minItems": 1, "items": {"type": "string"}}
                   for scope in ("mening", "stycke", "tabell", "rubrik")},
}
RULES_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["rules"],
    "properties": {"rules": {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "coverage_id", "name", "krav", "message", "why", "source", "finns", "exempel"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z]+[0-9]+$"},
            "coverage_id": {"enum": list(COVERAGE_IDS)},
            "name": {"type": "string", "minLength": 1},
            "krav": {"type": "object", "additionalProperties": False, "required": list(DOC_TYPES),
                     "properties": {t: {"enum": list(SEVERITIES)} for t in DOC_TYPES}},
            "message": {"type": "string", "minLength": 1},
            "why": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
            "finns": {"type": "array", "minItems": 1, "items": _EVIDENCE},
            "delvis": {"type": "array", "items": _EVIDENCE},
            "exempel": {"type": "object", "additionalProperties": False, "required": ["dåligt", "bra"],
                        "properties": {"dåligt": {"type": "string"}, "bra": {"type": "string"}}},
        }}}},
}


@dataclass(frozen=True)
class Evidence:
    scope: str                                  # mening | stycke | tabell | rubrik
    groups: tuple[frozenset[str], ...]          # each group: any of these concepts


@dataclass(frozen=True)
class CoverageRule:
    id: str
    coverage_id: str
    name: str
    severity: dict[str, str]
    message: str
    why: str
    source: str
    present: tuple[Evidence, ...]
    partial: tuple[Evidence, ...]
    bad_example: str
    good_example: str


def coverage_names() -> dict[str, str]:
    """Coverage id → the part's Swedish name, as the reports show it."""
    return {rule.coverage_id: rule.name for rule in load_rules()}


def load_rules(path: Path | None = None) -> tuple[CoverageRule, ...]:
    return _load((path or lint_rules_dir() / "skr.yaml").resolve(), load_lexicon())


@cache
def _load(path: Path, lexicon: Lexicon) -> tuple[CoverageRule, ...]:
    data, root = load_validated(path, "regelfilen", RULES_SCHEMA, "regelfilen har rules:; jämför med lint_rules/skr.yaml")
    rules, seen_ids, seen_coverage = [], set(), set()
    for index, entry in enumerate(data["rules"]):
        def fail(message: str, key: list, hint: str) -> UserError:
            line, column = locate(root, ["rules", index, *key])
            return UserError(message, file=path, line=line, column=column, hint=hint)

        if entry["id"] in seen_ids:
            raise fail(f"regel-id {entry['id']} används två gånger", ["id"], "ge regeln ett eget id")
        if entry["coverage_id"] in seen_coverage:
            raise fail(f"täckningsid {entry['coverage_id']} har redan en regel", ["coverage_id"],
                       "slå ihop reglerna")
        seen_ids.add(entry["id"])
        seen_coverage.add(entry["coverage_id"])

        def evidence(kind: str) -> tuple[Evidence, ...]:
            out = []
            for e_index, item in enumerate(entry.get(kind, [])):
                (scope, names), = item.items()
                groups = []
                for name_group in names:
                    group = frozenset(name_group.split("|"))
                    unknown = sorted(group - set(lexicon.concepts))
                    if unknown:
                        raise fail(f"okänt begrepp '{unknown[0]}'", [kind, e_index, scope],
                                   "använd ett begrepp som finns i lint_rules/concepts.yaml: " +
                                   ", ".join(sorted(lexicon.concepts)))
                    groups.append(group)
                out.append(Evidence(scope, tuple(groups)))
            return tuple(out)

        rules.append(CoverageRule(
            entry["id"], entry["coverage_id"], entry["name"], dict(entry["krav"]), entry["message"],
            entry["why"], entry["source"], evidence("finns"), evidence("delvis"),
            entry["exempel"]["dåligt"], entry["exempel"]["bra"]))
    missing = [cid for cid in COVERAGE_IDS if cid not in seen_coverage]
    if missing:
        raise UserError(f"regelfilen saknar regler för {', '.join(missing)}", file=path, line=1,
                        hint="varje täckningsid ska ha en regel")
    return tuple(rules)
