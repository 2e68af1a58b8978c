"""The text rules' own examples as tests: every rule in klarsprak.yaml and
fakta.yaml lists sentences it must flag and sentences it must pass. Each is
linted as a small draft of its own, the way a reviewer's draft is."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from policygen.lint.config import LintConfig
from policygen.lint.examples import ExampleOutcome
from policygen.lint.textrules import TextRule, load_text_rule_file, load_text_rules
from policygen.model import Document, DocumentBuilder
from policygen.yamlio import load_yaml, locate

EXAMPLE_TITLE = "Policy för samverkan med sociala företag"


def example_document(text: str, doc_type: str = "policy") -> Document:
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
    from policygen.lint.engine import lint_documents

    result = lint_documents([example_document(text, doc_type)], doc_type, config=config or LintConfig(),
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
        for verdict, sentences in (("flags", rule.examples.flags), ("passes", rule.examples.passes)):
            for index, text in enumerate(sentences):
                fired = bool(lint_text(text, rule.id, rule.examples.kommun, doc_type, rules=rules))
                outcomes.append(ExampleOutcome(rule.file or Path(), _line(rule, verdict, index), rule.id, text,
                                               verdict, "flags" if fired else "passes"))
    return outcomes
