"""Every rule the linter can report, coverage and text rules alike, in one
shape for the rules list, the SARIF driver and the rules reference."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.lint.rules import load_rules
from policygen.lint.textrules import load_text_rules


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


def _details(rule) -> tuple[str, ...]:
    options = rule.options
    if rule.kind == "ord":
        return tuple(f"”{word}” → ”{replacement}”" if replacement else f"”{word}”"
                     for word, replacement in options["words"].items())
    if rule.kind == "mönster":
        return tuple(f"`{p.regex.pattern}` – {p.explanation}" for p in rule.patterns)
    if rule.kind == "belopp":
        return tuple(f"{item['belopp']:,} kr ({item['period']})".replace(",", " ") for item in options["amounts"])
    if rule.kind == "dubbel_passiv":
        return ("första verbet: " + ", ".join(options["verbs"]),)
    if rule.kind in ("meningslängd", "lix"):
        return (f"gräns: {options['limit']} (ändras i policygen.yaml under gränser: {rule.kind})",)
    if rule.kind == "dokumenttyp":
        return tuple(f"{t}: " + ", ".join(f"”{w}”" for w in words) for t, words in options["self_words"].items())
    if rule.kind == "annan_kommun":
        return ("följande ord visar att kommunen handlar: " + ", ".join(options["verbs"]),)
    return ()


def rule_catalog() -> list[RuleInfo]:
    from policygen.lint.engine import OFF_TOPIC_MESSAGE, OFF_TOPIC_RULE, OFF_TOPIC_WHY

    infos = [RuleInfo(OFF_TOPIC_RULE, "Utkastet handlar om sociala företag", "täckning", "error", OFF_TOPIC_MESSAGE,
                      OFF_TOPIC_WHY, "Granskningsmallen (LINT-RUBRIC), allmänna regler")]
    infos += [RuleInfo(r.id, r.name, "täckning", r.severity["policy"], r.message, r.why, r.source,
                      coverage_id=r.coverage_id, severity_by_type=dict(r.severity),
                      examples=(r.bad_example, r.good_example)) for r in load_rules()]
    infos += [RuleInfo(r.id, r.name, r.category, r.severity, r.message, r.why, r.source, r.as_of,
                       details=_details(r)) for r in load_text_rules()]
    return infos


def rule_categories() -> set[str]:
    return {info.category for info in rule_catalog()}
