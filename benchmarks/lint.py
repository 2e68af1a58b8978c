"""Lint benchmark.

    python benchmarks/lint.py

Prints, for a generated DOCX of about 10 000 words: the time python-docx alone
needs to parse it, the full in-process lint, their ratio, the batch time for
290 such documents (short ones, one per kommun) and the cold CLI time for one
file. Targets: lint ≤ 3 × parse, ≤ 0.5 s for 10 000 words, cold CLI ≤ 1.0 s (issue 15).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import docx

from policygen.generate.assemble import assemble
from policygen.lint.engine import lint_documents
from policygen.lint.run import lint_files
from policygen.profile.load import load_profile
from policygen.read.draft import read_document
from policygen.render.docx.writer import render_docx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def python_docx_text(path: Path) -> int:
    """What a bare python-docx parse of a draft means: every paragraph's and cell's text."""
    word = docx.Document(str(path))
    texts = [p.text for p in word.paragraphs]
    texts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return sum(map(len, texts))


def main() -> None:
    profile = load_profile(EXAMPLES / "ljungby.yaml")
    base = assemble(profile, "verksamhetsplan")
    words_per_copy = sum(len(text.split()) for text, _ in base.text_units())
    copies = max(1, round(10_000 / words_per_copy))
    big = replace(base, blocks=base.blocks * copies)
    folder = Path(tempfile.mkdtemp(prefix="policygen-bench-"))
    path = folder / "stort-utkast.docx"
    path.write_bytes(render_docx(big))
    words = words_per_copy * copies

    lint_files([path])  # warm up: spaCy and the lexicon load once per process
    open_only = best_of(5, lambda: docx.Document(str(path)).paragraphs)
    parse = best_of(5, lambda: python_docx_text(path))
    full = best_of(5, lambda: lint_files([path]))
    print(f"Utkast: {words} ord, {path.stat().st_size / 1024:.0f} kB")
    print(f"python-docx, öppna filen:              {open_only * 1000:.0f} ms")
    print(f"python-docx, öppna och läsa all text:  {parse * 1000:.0f} ms")
    print(f"Full granskning i processen:           {full * 1000:.0f} ms (mål ≤ 500 ms)")
    print(f"Kvot granskning/läsning av all text:   {full / parse:.1f} (mål ≤ 3)")
    print(f"Kvot granskning/öppna filen:           {full / open_only:.1f}")

    small = folder / "utkast.docx"
    small.write_bytes(render_docx(base))
    documents = [read_document(small)] * 290
    batch = best_of(1, lambda: lint_documents(documents))
    print(f"Batch, 290 utkast à {words_per_copy} ord: {batch:.1f} s")

    # A new process each time; best of three, as for the other figures.
    cold = best_of(3, lambda: subprocess.run([sys.executable, "-m", "policygen.cli", "lint", str(small)],
                                             capture_output=True, check=False))
    print(f"Kall CLI-körning, en fil: {cold:.2f} s (mål ≤ 1,0 s; bäst av tre nya processer)")


if __name__ == "__main__":
    main()
