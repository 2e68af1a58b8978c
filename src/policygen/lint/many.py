"""Linting many drafts: every file on its own, in parallel on all cores, so one
unreadable file is reported without stopping the rest."""

from __future__ import annotations

from pathlib import Path

from policygen.generate.clauses import load_library
from policygen.infra.batch import BatchReport, run_batch
from policygen.lint.config import LintConfig
from policygen.lint.coverage.rules import load_rules
from policygen.lint.engine import lint_documents
from policygen.lint.results import LintResult
from policygen.lint.text.rules import load_text_rules
from policygen.nlp.concepts import load_lexicon
from policygen.nlp.lemmas import lemma_table
from policygen.nlp.sentences import preload as preload_tokenizer
from policygen.read.draft import read_document


def preload(workers: bool) -> None:
    """Load rules and clauses (and for forked workers the tokenizer and the
    lemma table) once in the parent: workers share them instead of each
    loading them again. A single draft loads the tokenizer only when it has
    text to tokenise, so a file that cannot be read is reported without it."""

    if workers:

        preload_tokenizer()
        lemma_table()
    load_lexicon()
    load_rules()
    load_text_rules()
    load_library()


def _lint_one(task: tuple[Path, str | None, LintConfig, str | None]) -> LintResult:
    path, doc_type, config, kommun = task
    return lint_documents([read_document(path)], doc_type, config=config, kommun=kommun)[0]


def lint_many(files: list[Path], doc_type: str | None = None, config: LintConfig | None = None,
              kommun: str | None = None, jobs: int | None = None,
              show_progress: bool | None = None) -> BatchReport[LintResult]:
    preload(workers=len(files) > 1)
    tasks = [(path, doc_type, config or LintConfig(), kommun) for path in files]
    return run_batch(_lint_one, tasks, [str(path) for path in files], jobs, show_progress, "Granskar")
