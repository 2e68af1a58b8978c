"""Text rules as data: klarspråk (lint_rules/klarsprak.yaml) and facts
(lint_rules/fakta.yaml). Each rule names a kind of check; the checks live in
policygen.lint.textchecks."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.resources import lint_rules_dir
from policygen.validation import load_validated
from policygen.vocabulary import DOC_TYPES
from policygen.yamlio import locate

SEVERITIES = ("error", "warning", "info")
TEXT_RULE_FILES = ("klarsprak.yaml", "fakta.yaml")

# Which fields each kind of check needs.
KIND_FIELDS = {
    "ord": ("words",),
    "mönster": ("patterns",),
    "dubbel_passiv": ("verbs",),
    "meningslängd": ("limit",),
    "lix": ("limit", "bands"),
    "belopp": ("amounts", "current"),
    "annan_kommun": ("verbs", "own_nouns", "partner_words"),
    "dokumenttyp": ("self_words",),
}

# Which {fields} each kind of rule can use in its message.
_COMMON = {"träff", "ersättning"}
MESSAGE_FIELDS = {
    "ord": _COMMON, "dubbel_passiv": _COMMON, "meningslängd": _COMMON | {"antal", "gräns"},
    "lix": _COMMON | {"del", "lix", "nivå"}, "mönster": _COMMON | {"förklaring"},
    "belopp": _COMMON | {"period", "nu"}, "annan_kommun": _COMMON | {"egen"},
    "dokumenttyp": _COMMON | {"typ", "antal", "eget", "eget_antal"},
}

_WORDS = {"type": "array", "items": {"type": "string", "minLength": 1}}
TEXT_RULES_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["rules"],
    "properties": {"rules": {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "name", "category", "severity", "kind", "message", "why", "source"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z]+[0-9]+$"},
            "name": {"type": "string", "minLength": 1},
            "category": {"type": "string", "pattern": "^[a-zåäö_]+$",
                         "description": "en kategori med små bokstäver, t.ex. klarspråk eller fakta"},
            "severity": {"enum": list(SEVERITIES)},
            "kind": {"enum": list(KIND_FIELDS)},
            "message": {"type": "string", "minLength": 1},
            "why": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
            "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "words": {"type": "object", "minProperties": 1,
                      "additionalProperties": {"type": ["string", "null"]}},
            "patterns": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False, "required": ["regex", "förklaring"],
                "properties": {"regex": {"type": "string", "minLength": 1},
                               "förklaring": {"type": "string", "minLength": 1},
                               "ersättning": {"type": "string"},
                               "ignorecase": {"type": "boolean"}}}},
            "verbs": _WORDS, "not_passive": _WORDS, "own_nouns": _WORDS, "partner_words": _WORDS,
            "limit": {"type": "integer", "minimum": 1},
            "bands": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False, "required": ["upp_till", "namn"],
                "properties": {"upp_till": {"type": "number"}, "namn": {"type": "string"}}}},
            "amounts": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False, "required": ["belopp", "period"],
                "properties": {"belopp": {"type": "integer", "minimum": 1}, "period": {"type": "string"}}}},
            "current": {"type": "string"},
            "self_words": {"type": "object", "additionalProperties": False,
                           "properties": {t: _WORDS for t in DOC_TYPES}},
        }}}},
}


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    explanation: str
    replacement: str | None


@dataclass(frozen=True)
class TextRule:
    id: str
    name: str
    category: str
    severity: str
    kind: str
    message: str
    why: str
    source: str
    as_of: str | None
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    patterns: tuple[Pattern, ...] = ()


def load_text_rules(directory: Path | None = None) -> tuple[TextRule, ...]:
    directory = directory or lint_rules_dir()
    rules: list[TextRule] = []
    for name in TEXT_RULE_FILES:
        rules += _load((directory / name).resolve())
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise UserError(f"regel-id {rule.id} används i både {seen[rule.id]} och en annan regel",
                            file=directory, hint="ge varje regel ett eget id")
        seen[rule.id] = rule.name
    return tuple(rules)


@cache
def _load(path: Path) -> tuple[TextRule, ...]:
    data, root = load_validated(path, "regelfilen", TEXT_RULES_SCHEMA,
                                "regelfilen har rules:; jämför med lint_rules/klarsprak.yaml")
    rules = []
    for index, entry in enumerate(data["rules"]):
        def fail(message: str, key: list, hint: str) -> UserError:
            line, column = locate(root, ["rules", index, *key])
            return UserError(message, file=path, line=line, column=column, hint=hint)

        try:
            used = {name for _, name, _, _ in string.Formatter().parse(entry["message"]) if name}
        except ValueError as exc:
            raise fail(f"meddelandet går inte att tolka: {exc}", ["message"],
                       "skriv {träff} för den funna texten; en ensam { eller } är inte tillåten") from None
        unknown = sorted(used - MESSAGE_FIELDS[entry["kind"]])
        if unknown:
            raise fail(f"meddelandet använder {{{unknown[0]}}}, som regler av sorten {entry['kind']} inte har",
                       ["message"], "tillgängliga fält: " + ", ".join(
                           "{" + f + "}" for f in sorted(MESSAGE_FIELDS[entry["kind"]])))
        for needed in KIND_FIELDS[entry["kind"]]:
            if needed not in entry:
                raise fail(f"regeln {entry['id']} av sorten {entry['kind']} saknar fältet {needed}", ["kind"],
                           f"lägg till {needed}: i regeln")
        patterns = []
        for p_index, item in enumerate(entry.get("patterns", [])):
            try:
                regex = re.compile(item["regex"], re.IGNORECASE if item.get("ignorecase") else 0)
            except re.error as exc:
                raise fail(f"mönstret går inte att tolka: {exc}", ["patterns", p_index, "regex"],
                           "skriv ett giltigt reguljärt uttryck (inom enkla citattecken)") from None
            patterns.append(Pattern(regex, item["förklaring"], item.get("ersättning")))
        options = {k: v for k, v in entry.items() if k in {f for fs in KIND_FIELDS.values() for f in fs}
                   or k == "not_passive"}
        rules.append(TextRule(entry["id"], entry["name"], entry["category"], entry["severity"], entry["kind"],
                              entry["message"], entry["why"], entry["source"], entry.get("as_of"),
                              options, tuple(patterns)))
    return tuple(rules)
