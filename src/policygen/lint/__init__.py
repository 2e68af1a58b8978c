"""The linter: Document → coverage of SKR's factors and findings."""

from policygen.lint.engine import lint_document, lint_documents
from policygen.lint.results import LintResult
from policygen.lint.run import LintRun, lint_files

__all__ = ["LintResult", "LintRun", "lint_document", "lint_documents", "lint_files"]
