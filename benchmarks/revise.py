"""Revision benchmark: what `lint --revise` costs on a long draft.

    PYTHONPATH=src python benchmarks/revise.py

Builds a draft of about 50 pages (30 sections of a heading and nine
paragraphs) with 300 findings that have one safe replacement (an obsolete
"skall" or "ej", "och/eller", "i enlighet med" in every third paragraph, so
findings sit several to a paragraph), lints it, then times the revised copy
alone: the tracked changes, their comments, the clauses for the missing parts
and the written file. Target: under 2 s (issue 23).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from docx_factory import p, style, write_docx  # noqa: E402
from policygen.lint.run import lint_files  # noqa: E402
from policygen.report.revision import revise_draft  # noqa: E402

WITH_FINDINGS = ("Nämnden skall stödja sociala företag och/eller föreningar med rådgivning och lokaler "
                 "i enlighet med policyn, och stöd ges ej utan ansökan. ")
PLAIN = ("Kommunen stödjer sociala företag med rådgivning, lokaler och upphandling där sociala hänsyn "
         "väger tungt, så att fler personer får arbete. ")


def _draft(folder: Path, sections: int = 30) -> Path:
    body = [p("Policy för samverkan med sociala företag i Ljungby kommun", style="Title")]
    for number in range(sections):
        body.append(p(f"Avsnitt {number + 1}", style="Heading1"))
        body.extend(p(WITH_FINDINGS if index % 3 == 0 else PLAIN * 7) for index in range(9))
    return write_docx(folder / "utkast.docx", "".join(body),
                      styles=style("Title", "Title") + style("Heading1", "heading 1"))


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        draft = _draft(folder)
        started = time.perf_counter()
        result = lint_files([draft]).results[0]
        linted = time.perf_counter() - started
        fixable = sum(1 for f in result.findings if f.replacement)
        started = time.perf_counter()
        revision = revise_draft(draft, result, folder / "reviderad.docx")
        seconds = time.perf_counter() - started
        words = 30 * (3 * len(WITH_FINDINGS.split()) + 6 * len((PLAIN * 7).split()))
        print(f"utkast: ~{words // 500} sidor ({words} ord), {len(result.findings)} anmärkningar, {fixable} med ersättning "
              f"(granskning {linted:.2f} s)")
        print(f"revidering: {seconds:.2f} s – {revision.changes} spårade ändringar, {revision.insertions} "
              f"infogade avsnitt, {revision.comments} kommentarer (mål: under 2 s)")


if __name__ == "__main__":
    main()
