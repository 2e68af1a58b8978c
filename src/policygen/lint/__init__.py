"""The linter: Document → coverage of SKR's factors and findings."""

from policygen.lint.engine import LintResult, lint_document, lint_paths

__all__ = ["LintResult", "lint_document", "lint_paths"]
