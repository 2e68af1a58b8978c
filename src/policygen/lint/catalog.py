"""Every rule the linter can report, coverage and text rules alike, in one
shape for the rules list, the SARIF driver and the rules reference."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.lint.coverage.rules import (
    OFF_TOPIC_MESSAGE,
    OFF_TOPIC_RULE,
    OFF_TOPIC_WHY,
    load_rules,
)
from policygen.lint.text.kinds import KINDS
from policygen.lint.text.rules import load_text_rules


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    category: str
    severity: str           # default (for coverage rules: the policy's level)
    message: str
    why: str
    source: str
    as_of: str | None = None
    coverage_id: str | None = None
    severity_by_type: dict | None = None
    examples: tuple[str, str] | None = None    # (bad, good)
    details: tuple[str, ...] = ()              # what the rule looks for, one line each
    kind: str | None = None                    # text rules: the kind of check and what it does


def rule_catalog() -> list[RuleInfo]:
    infos = [RuleInfo(OFF_TOPIC_RULE, "Utkastet handlar om sociala företag", "täckning", "error", OFF_TOPIC_MESSAGE,
                      OFF_TOPIC_WHY, "Granskningsmallen (LINT-RUBRIC), allmänna regler")]
    infos += [RuleInfo(r.id, r.name, "täckning", r.severity["policy"], r.message, r.why, r.source,
                      coverage_id=r.coverage_id, severity_by_type=dict(r.severity),
                      examples=(r.bad_example, r.good_example)) for r in load_rules()]
    infos += [RuleInfo(r.id, r.name, r.category, r.severity, r.message, r.why, r.source, r.as_of,
                       examples=(r.examples.flags[0].text, r.examples.passes[0]),
                       details=KINDS[r.kind].details(r),
                       kind=f"{r.kind} – {KINDS[r.kind].description}") for r in load_text_rules()]
    return infos
