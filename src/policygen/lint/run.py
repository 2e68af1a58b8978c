"""The one way to lint drafts: the command line, batch runs and the web
page call `lint_files` (files and folders) or `lint_documents` (documents
already read). Every file is linted on its own, so one unreadable file is
reported without stopping the others."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from policygen.errors import UserError
from policygen.lint.catalog import RuleInfo, rule_catalog
from policygen.lint.config import LintConfig
from policygen.lint.engine import draft_files
from policygen.lint.many import lint_many
from policygen.lint.results import LintResult


@dataclass
class LintRun:
    results: list[LintResult]                 # one per draft that could be read, in file order
    errors: list[tuple[str, str]]             # (file, Swedish message) for drafts that could not
    files: list[Path]
    interrupted: bool = False
    rules: list[RuleInfo] = field(default_factory=list)   # every rule the run could report

    @property
    def flagged(self) -> list[LintResult]:
        return [r for r in self.results if r.findings]


def lint_files(paths: Iterable[Path], doc_type: str | None = None, config: LintConfig | None = None,
               kommun: str | None = None, jobs: int | None = None,
               show_progress: bool | None = False) -> LintRun:
    """Lint every draft in `paths` (files, or folders searched for .docx, .pdf, .txt and .md)."""

    paths = list(paths)
    files = draft_files(paths)
    if not files:
        raise UserError("hittade inga utkast att granska", file=paths[0] if paths else None,
                        hint="mappen ska innehålla .docx-, .pdf-, .txt- eller .md-filer")
    batch = lint_many(files, doc_type, config, kommun, jobs, show_progress)
    results = [o.value for o in batch.succeeded if o.value is not None]
    errors = [(o.name, o.error or "") for o in batch.failed]
    return LintRun(results, errors, files, batch.interrupted, rule_catalog())
