"""A reviewer's configuration (policygen.yaml): which rules run, at which
severity, with which limits, and which findings have been accepted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.validation import load_validated
from policygen.infra.yamlio import locate
from policygen.lint.results import MAX_FINDINGS, MAX_FINDINGS_PER_RULE
from policygen.vocabulary import SEVERITIES

CONFIG_NAME = "policygen.yaml"

_IDS = {"type": "array", "items": {"type": "string", "minLength": 1}}
CONFIG_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "regler": {"type": "object", "additionalProperties": False, "properties": {
            "av": {**_IDS, "description": "regel-id eller kategorier som inte ska granskas"},
            "på": {**_IDS, "description": "regel-id som ska granskas trots att kategorin är avstängd"},
            "nivå": {"type": "object", "description": "regel-id eller kategori: error, warning eller info",
                     "additionalProperties": {"enum": list(SEVERITIES)}},
        }},
        "gränser": {"type": "object", "additionalProperties": False, "properties": {
            "meningslängd": {"type": "integer", "minimum": 5, "description": "högsta antal ord i en mening"},
            "lix": {"type": "integer", "minimum": 10, "description": "LIX över detta ger en varning"},
        }},
        "accepterade": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["regel", "text"],
            "properties": {"regel": {"type": "string", "minLength": 1},
                           "text": {"type": "string", "minLength": 1,
                                    "description": "beläggets text (eller en unik del av den)"},
                           "kommentar": {"type": "string"}}}},
    },
}


@dataclass
class LintConfig:
    disabled: set[str] = field(default_factory=set)
    enabled: set[str] = field(default_factory=set)
    severities: dict[str, str] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)
    accepted: list[tuple[str, str]] = field(default_factory=list)
    path: Path | None = None
    max_findings_per_rule: int = MAX_FINDINGS_PER_RULE   # the CLI's --max-per-regel
    max_findings: int = MAX_FINDINGS                     # the CLI's --max-anmarkningar

    def is_active(self, rule_id: str, category: str) -> bool:
        if rule_id in self.disabled:
            return False
        return rule_id in self.enabled or category not in self.disabled

    def severity(self, rule_id: str, category: str, default: str) -> str:
        return self.severities.get(rule_id) or self.severities.get(category) or default

    def is_accepted(self, rule_id: str, evidence: str) -> bool:
        text = " ".join(evidence.split())
        return any(rule == rule_id and " ".join(part.split()) in text for rule, part in self.accepted)


def find_config(given: Path | None, folder: Path | None = None) -> Path | None:
    if given is not None:
        return given
    candidate = (folder or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(path: Path | None, rule_ids: set[str], categories: set[str]) -> LintConfig:
    if path is None:
        return LintConfig()
    data, root = load_validated(path, "inställningsfilen", CONFIG_SCHEMA,
                                "se README: regler:, gränser: och accepterade:")
    known = rule_ids | categories

    def check(name: str, key_path: list) -> None:
        if name not in known:
            line, column = locate(root, key_path)
            raise UserError(f"okänd regel eller kategori: '{name}'", file=path, line=line, column=column,
                            hint="kör 'policygen rules list' för giltiga regel-id; kategorier: "
                                 + ", ".join(sorted(categories)))

    rules = data.get("regler", {})
    for key in ("av", "på"):
        for index, name in enumerate(rules.get(key, [])):
            check(name, ["regler", key, index])
    for name in rules.get("nivå", {}):
        check(name, ["regler", "nivå", name])
    for index, item in enumerate(data.get("accepterade", [])):
        check(item["regel"], ["accepterade", index, "regel"])
    return LintConfig(
        disabled=set(rules.get("av", [])), enabled=set(rules.get("på", [])),
        severities=dict(rules.get("nivå", {})), limits=dict(data.get("gränser", {})),
        accepted=[(item["regel"], item["text"]) for item in data.get("accepterade", [])], path=path)
