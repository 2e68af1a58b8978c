"""Rule examples as tests: every rule file carries Swedish sentences with the
verdict they must get. pytest runs them, and so does `policygen rules test`
for an expert who edits a rule file without Python."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
    from policygen.read.text_reader import parse_text

    body = text if text.lstrip().startswith("# ") else "# Exempel\n\n" + text
    return parse_text(body, source=source, markdown=True)


def coverage_example_outcomes(path: Path | None = None) -> list[ExampleOutcome]:
    """Every example of every coverage rule, judged as its own one-sentence draft.

    A single sentence cannot mention the subject twice, so one mention of
    sociala företag / IOP / idéburen sektor is enough for an example to be on topic."""
    from policygen.lint.engine import judge_coverage
    from policygen.lint.rules import load_rules

    rules = load_rules(path)
    cases = [(rule, status, text, rule.example_line(status, number)) for rule in rules
             for status, items in rule.examples.items() for number, text in enumerate(items)]
    judged = judge_coverage([example_document(text) for _, _, text, _ in cases], min_mentions=1)
    file = rules[0].path if rules else path
    return [ExampleOutcome(file or Path("skr.yaml"), line, rule.id, text, status, coverage[rule.coverage_id].status)
            for (rule, status, text, line), (_, coverage) in zip(cases, judged)]


_VERDICT_NAMES = {"present": "finns", "partial": "delvis", "missing": "saknas", "flags": "ger anmärkning",
                  "passes": "ger ingen anmärkning"}


def run_rule_examples(files: list[Path] | None = None) -> list[ExampleOutcome]:
    """The examples of the given rule files, or of every bundled rule file."""
    from policygen.resources import lint_rules_dir

    from policygen.lint.text_examples import text_example_outcomes

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
    from policygen.errors import UserError

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
                         f"blev {_VERDICT_NAMES[outcome.got]}: ”{text}”")
    failed = sum(not o.passed for o in outcomes)
    lines.append(f"{len(outcomes)} exempel: {len(outcomes) - failed} rätt, {failed} fel."
                 + (" Ändra regeln eller exemplet och kör igen." if failed else ""))
    return "\n".join(lines)
