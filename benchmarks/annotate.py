"""Annotate benchmark: what `lint --annotate` costs on long drafts.

    PYTHONPATH=src python benchmarks/annotate.py

Builds drafts of about 50 and 500 pages (a heading and nine paragraphs per
section, each paragraph with an obsolete "skall" so every paragraph gets a
comment), then prints for each the time to read, lint and write the commented
copy, the number of comments and the peak memory of this process. Target: the
copy of a 500-page draft in a few seconds, under 500 MB (issue 14, items 15
and 18).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from docx_factory import p, style, write_docx  # noqa: E402
from policygen.lint.run import lint_files  # noqa: E402
from policygen.read.draft import read_document  # noqa: E402
from policygen.report.word_comments import annotate_docx  # noqa: E402

PARAGRAPH = ("Kommunen skall stödja sociala företag med rådgivning, lokaler och upphandling "
             "där sociala hänsyn väger tungt. ") * 2


def _draft(folder: Path, sections: int) -> Path:
    body = [p("Policy för samverkan med sociala företag", style="Title")]
    for number in range(sections):
        body.append(p(f"Avsnitt {number + 1}", style="Heading1"))
        body.extend(p(PARAGRAPH) for _ in range(9))
    return write_docx(folder / f"utkast-{sections}.docx", "".join(body),
                      styles=style("Title", "Title") + style("Heading1", "heading 1"))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for sections, pages in ((150, 50), (1500, 500)):
            draft = _draft(Path(folder), sections)
            start = time.perf_counter()
            read_document(draft)
            read = time.perf_counter() - start
            start = time.perf_counter()
            result = lint_files([draft]).results[0]
            lint = time.perf_counter() - start
            start = time.perf_counter()
            comments = annotate_docx(draft, result, Path(folder) / f"granskad-{sections}.docx")
            annotate = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"~{pages} sidor ({sections * 10 + 1} stycken): läsa {read:.2f} s, granska {lint:.2f} s, "
                  f"kopia med {comments} kommentarer {annotate:.2f} s, högsta minne {peak:.0f} MB")


if __name__ == "__main__":
    main()
