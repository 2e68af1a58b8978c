"""Rule examples as tests, coverage and text rules alike: every rule file
carries Swedish sentences with the verdict they must get; one runner judges
them the way a reviewer's draft is judged. pytest runs them, and so does `policygen rules test`
for an expert who edits a rule file without Python."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.resources import lint_rules_dir
from policygen.infra.yamlio import load_yaml, locate
from policygen.lint.config import LintConfig
from policygen.lint.coverage.rules import load_rules
from policygen.lint.engine import judge_coverage, lint_documents
from policygen.lint.text.rule import FlaggedExample, TextRule
from policygen.lint.text.rules import load_text_rule_file, load_text_rules
from policygen.model import Document, DocumentBuilder
from policygen.read.text import parse_text


@dataclass(frozen=True)
class ExampleOutcome:
    file: Path
    line: int | None          # line of the example in the rule file
    rule_id: str
    text: str
    expected: str             # coverage: present | partial | missing; text rules: flags | passes
    got: str

    @property
    def passed(self) -> bool:
        return self.expected == self.got


def example_document(text: str, source: str = "exempel"):
    """An example sentence as a small draft: a neutral title, then the text
    (Markdown, so an example can be a table or carry "Etikett: värde" lines)."""
    body = text if text.lstrip().startswith("# ") else "# Exempel\n\n" + text
    return parse_text(body, source=source, markdown=True)


def coverage_example_outcomes(path: Path | None = None) -> list[ExampleOutcome]:
    """Every example of every coverage rule, judged as its own one-sentence draft.

    A single sentence cannot mention the subject twice, so one mention of
    sociala företag / IOP / idéburen sektor is enough for an example to be on topic."""
    rules = load_rules(path)
    cases = [(rule, status, text, rule.example_line(status, number)) for rule in rules
             for status, items in rule.examples.items() for number, text in enumerate(items)]
    judged = judge_coverage([example_document(text) for _, _, text, _ in cases], min_mentions=1)
    file = rules[0].path if rules else path
    return [ExampleOutcome(file or Path("skr.yaml"), line, rule.id, text, status, coverage[rule.coverage_id].status)
            for (rule, status, text, line), (_, coverage) in zip(cases, judged)]


EXAMPLE_TITLE = "Policy för samverkan med sociala företag"


def text_example_document(text: str, doc_type: str = "policy") -> Document:
    """A draft holding `text`, one paragraph per line, under a neutral title."""
    builder = DocumentBuilder(EXAMPLE_TITLE, doc_type=doc_type)
    builder.heading(EXAMPLE_TITLE, 0)
    for line in text.split("\n"):
        builder.paragraph(line)
    return builder.document


def lint_text(text: str, rule_id: str, kommun: str | None = None, doc_type: str = "policy",
              config: LintConfig | None = None, rules: tuple[TextRule, ...] | None = None) -> list:
    """The findings of one rule in a small draft holding `text` (with `rules`
    instead of the bundled text rules, when given)."""
    result = lint_documents([text_example_document(text, doc_type)], doc_type, config=config or LintConfig(),
                            kommun=kommun, text_rules=rules)[0]
    return [finding for finding in result.findings if finding.rule == rule_id]


@cache
def _tree(path: Path):
    return load_yaml(path, "regelfilen")


def _line(rule: TextRule, verdict: str, index: int) -> int | None:
    if rule.file is None:
        return None
    return locate(_tree(rule.file), ["rules", rule.index, "examples", verdict, index])[0]


def text_example_outcomes(path: Path | None = None) -> list[ExampleOutcome]:
    """Lint every example of the text rules in `path` (one rule file, or a
    folder with klarsprak.yaml and fakta.yaml; default: the bundled rules) and
    say whether its rule fired, checked with the rules of that file."""
    if path is None or path.is_dir():
        rules = load_text_rules(path)
    else:
        rules = load_text_rule_file(path)
    _tree.cache_clear()
    outcomes = []
    for rule in rules:
        doc_type = rule.examples.doc_type or "policy"
        cases = [("flags", example.text, example) for example in rule.examples.flags] + \
                [("passes", text, None) for text in rule.examples.passes]
        numbers = {"flags": 0, "passes": 0}
        for verdict, text, example in cases:
            index = numbers[verdict]
            numbers[verdict] += 1
            findings = lint_text(text, rule.id, rule.examples.kommun, doc_type, rules=rules)
            got = "flags" if findings else "passes"
            if example is not None and findings:
                got = _evidence_verdict(example, findings)
            outcomes.append(ExampleOutcome(rule.file or Path(), _line(rule, verdict, index), rule.id, text,
                                           verdict, got))
    return outcomes


def _evidence_verdict(example: FlaggedExample, findings: list) -> str:
    """'flags' when the findings are what the example says; else what differs, in Swedish."""
    if example.evidence is not None and tuple(f.span.text for f in findings) != example.evidence:
        return "belägg: " + ", ".join(f"”{f.span.text}”" for f in findings)
    if example.has_replacement and tuple(f.replacement for f in findings) != example.replacements:
        return "ersättning: " + ", ".join(f"”{f.replacement}”" for f in findings)
    return "flags"


_VERDICT_NAMES = {"present": "finns", "partial": "delvis", "missing": "saknas", "flags": "ger anmärkning",
                  "passes": "ger ingen anmärkning"}


def run_rule_examples(files: list[Path] | None = None) -> list[ExampleOutcome]:
    """The examples of the given rule files, or of every bundled rule file."""
    outcomes: list[ExampleOutcome] = []
    for path in files or [lint_rules_dir() / name for name in ("skr.yaml", "klarsprak.yaml", "fakta.yaml")]:
        if _is_coverage_rule_file(_checked(path)):
            outcomes += coverage_example_outcomes(path)
        else:
            outcomes += text_example_outcomes(path)
    return outcomes


def _is_coverage_rule_file(path: Path) -> bool:
    """Coverage rules name the part they judge; text rules name a kind of check."""
    return "coverage_id:" in path.read_text(encoding="utf-8", errors="replace")


def _checked(path: Path) -> Path:
    if not path.is_file():
        raise UserError("regelfilen finns inte", file=path, hint="ange sökvägen till en .yaml-fil i lint_rules/")
    return path


def example_report(outcomes: list[ExampleOutcome], show_passed: bool = False) -> str:
    """Pass/fail per example, in Swedish, for an expert who edits a rule file."""
    lines = []
    for outcome in outcomes:
        if outcome.passed and not show_passed:
            continue
        place = f"{outcome.file.name}:{outcome.line}" if outcome.line else outcome.file.name
        text = " ".join(outcome.text.split())
        if outcome.passed:
            lines.append(f"rätt  {place}  {outcome.rule_id} {_VERDICT_NAMES[outcome.expected]}: ”{text}”")
        else:
            lines.append(f"FEL   {place}  {outcome.rule_id}: väntat {_VERDICT_NAMES[outcome.expected]}, "
                         f"blev {_VERDICT_NAMES.get(outcome.got, outcome.got)}: ”{text}”")
    failed = sum(not o.passed for o in outcomes)
    lines.append(f"{len(outcomes)} exempel: {len(outcomes) - failed} rätt, {failed} fel."
                 + (" Ändra regeln eller exemplet och kör igen." if failed else ""))
    return "\n".join(lines)
