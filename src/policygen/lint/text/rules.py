"""Text rules as data: klarspråk (lint_rules/klarsprak.yaml) and facts
(lint_rules/fakta.yaml). Each rule names a kind of check; the kinds, with
their fields, messages and checks, live in policygen.lint.kinds."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.resources import lint_rules_dir
from policygen.infra.validation import load_validated
from policygen.infra.yamlio import load_yaml, locate
from policygen.lint.text.kinds import KINDS, kind_fields
from policygen.lint.text.rule import Examples, FlaggedExample, TextRule
from policygen.vocabulary import DOC_TYPES, SEVERITIES

TEXT_RULE_FILES = ("klarsprak.yaml", "fakta.yaml")

_SENTENCES = {"type": "array", "minItems": 2, "items": {"type": "string", "minLength": 1}}
# A flagged example is a text, or a text with the exact evidence (belägg) the
# finding must point at and the replacement (ersättning) it must propose.
_FLAGGED = {"type": "array", "minItems": 2, "items": {"oneOf": [
    {"type": "string", "minLength": 1},
    {"type": "object", "additionalProperties": False, "required": ["text"],
     "properties": {"text": {"type": "string", "minLength": 1},
                    "belägg": {"oneOf": [{"type": "string", "minLength": 1},
                                         {"type": "array", "minItems": 2, "items": {"type": "string", "minLength": 1}}]},
                    "ersättning": {"oneOf": [{"type": ["string", "null"]},
                                             {"type": "array", "minItems": 2, "items": {"type": ["string", "null"]}}]}}}]}}
EXAMPLES_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["flags", "passes"],
    "description": "svenska exempel: flags = texter regeln ska hitta fel i (med belägg och ersättning där det "
                   "spelar roll), passes = texter den ska godta",
    "properties": {"flags": _FLAGGED, "passes": _SENTENCES,
                   "kommun": {"type": "string", "minLength": 1,
                              "description": "utkastets egen kommun i exemplen"},
                   "doc_type": {"enum": list(DOC_TYPES)}}}

TEXT_RULES_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["rules"],
    "properties": {"rules": {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "name", "category", "severity", "kind", "message", "why", "source", "examples"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z]+[0-9]+$"},
            "name": {"type": "string", "minLength": 1},
            "category": {"type": "string", "pattern": "^[a-zåäö_]+$",
                         "description": "en kategori med små bokstäver, t.ex. klarspråk eller fakta"},
            "severity": {"enum": list(SEVERITIES)},
            "kind": {"enum": list(KINDS)},
            "message": {"type": "string", "minLength": 1},
            "why": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
            "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "examples": EXAMPLES_SCHEMA,
            **kind_fields(),
        }}}},
}
_COMMON_KEYS = set(TEXT_RULES_SCHEMA["properties"]["rules"]["items"]["required"]) | {"as_of"}  # type: ignore[index]


def _flagged(item: str | dict) -> FlaggedExample:
    """A flagged example; one finding's evidence and replacement, or a list of them in the order found."""
    if isinstance(item, str):
        return FlaggedExample(item)

    def listed(value: object) -> tuple | None:
        return None if value is None else tuple(value) if isinstance(value, list) else (value,)

    evidence = listed(item.get("belägg"))
    replacements = listed(item["ersättning"]) if "ersättning" in item else None
    return FlaggedExample(item["text"], evidence, replacements is not None, replacements)


def load_text_rules(directory: Path | None = None) -> tuple[TextRule, ...]:
    directory = directory or lint_rules_dir()
    rules: list[TextRule] = []
    for name in TEXT_RULE_FILES:
        rules += load_text_rule_file((directory / name).resolve())
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise UserError(f"regel-id {rule.id} används i både {seen[rule.id]} och en annan regel",
                            file=directory, hint="ge varje regel ett eget id")
        seen[rule.id] = rule.name
    return tuple(rules)


def load_text_rule_file(path: Path) -> tuple[TextRule, ...]:
    return _load(path.resolve())


def example_line(rule: TextRule, verdict: str, index: int) -> int | None:
    """Line of an example sentence in the rule's file (verdict: flags | passes)."""
    if rule.file is None:
        return None
    return locate(load_yaml(rule.file, "regelfilen"), ["rules", rule.index, "examples", verdict, index])[0]


def _check_message(template: str, allowed: frozenset[str], key: str, fail) -> None:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:
        raise fail(f"meddelandet går inte att tolka: {exc}", [key],
                   "skriv {träff} för den funna texten; en ensam { eller } är inte tillåten") from None
    unknown = sorted(used - allowed)
    if unknown:
        raise fail(f"meddelandet använder {{{unknown[0]}}}, som den här sortens regler inte har", [key],
                   "tillgängliga fält: " + ", ".join("{" + f + "}" for f in sorted(allowed)))


@cache
def _load(path: Path) -> tuple[TextRule, ...]:
    data, root = load_validated(path, "regelfilen", TEXT_RULES_SCHEMA,
                                "regelfilen har rules:; jämför med lint_rules/klarsprak.yaml")
    rules = []
    for index, entry in enumerate(data["rules"]):
        def fail(message: str, key: list, hint: str, index: int = index) -> UserError:
            line, column = locate(root, ["rules", index, *key])
            return UserError(message, file=path, line=line, column=column, hint=hint)

        kind = KINDS[entry["kind"]]
        for key in ("message", *kind.extra_messages):
            if key in entry:
                _check_message(entry[key], kind.all_message_fields(), key, fail)
        for needed in kind.required:
            if needed not in entry:
                raise fail(f"regeln {entry['id']} av sorten {kind.name} saknar fältet {needed}", ["kind"],
                           f"lägg till {needed}: i regeln")
        for key in entry:
            if key not in _COMMON_KEYS and key not in kind.fields:
                raise fail(f"fältet {key} hör inte till regler av sorten {kind.name}", [key],
                           "ta bort fältet eller ändra kind:; fält för sorten: " + ", ".join(kind.fields))
        examples = entry["examples"]
        rules.append(TextRule(entry["id"], entry["name"], entry["category"], entry["severity"], kind.name,
                              entry["message"], entry["why"], entry["source"], entry.get("as_of"),
                              kind.prepare(entry, fail),
                              Examples(tuple(_flagged(item) for item in examples["flags"]), tuple(examples["passes"]),
                                       examples.get("kommun"), examples.get("doc_type")),
                              path, index))
    return tuple(rules)
