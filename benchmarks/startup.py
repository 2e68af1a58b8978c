"""Start-up benchmark: every figure of issue 15 next to its target, in one run.

    python benchmarks/startup.py            # start-up figures, then the batch figures
    python benchmarks/startup.py --snabb    # without the batch runs (about a minute less)

Each command line figure is the median of new processes started with this
Python (as the installed `policygen` command starts), after one warm-up run
that fills the cache folder, as any second run on a machine finds it:
  - policygen --help, rules list, clauses list (target ≤ 0,3 s each),
  - generate of one document (Ljungby's verksamhetsplan) beside pandoc turning
    the same document's Markdown into DOCX, when pandoc is installed
    (target: at most 2 × pandoc),
  - a cold `policygen lint` of that one DOCX (target ≤ 1,0 s),
then in this process the lint of a 10 000-word DOCX against a bare python-docx
read of all its text (target ≤ 3 ×), and last the batch figures of
benchmarks/batch.py (580 documents and 290 drafts, each < 60 s and < 1 GB).
The lines at the end are a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the other benchmark scripts, for their helpers

ROOT = HERE.parent
EXAMPLES = ROOT / "examples"
RUNS = 7


def _environment() -> dict[str, str]:
    # An installed package has its bytecode compiled; a development shell that
    # forbids writing it would make every run compile the sources again.
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    # This working tree's code, also when the interpreter is the project's .venv.
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "src"), environment.get("PYTHONPATH", "")]))
    return environment


def interpreter() -> str:
    """The project's virtual environment (what README's commands make, and what
    a user runs) when there is one; else this interpreter. A system or pyenv
    interpreter may run site hooks at every start that a user's venv does not."""
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def median_seconds(command: list[str], runs: int = RUNS) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of `runs` new
    processes, after one warm-up run. On a shared machine the wall time also
    counts waiting for a core; the CPU time does not."""
    environment = _environment()

    def once() -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=environment, check=False)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} gav slutkod {done.returncode}:\n{done.stderr.decode()}")
        return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    once()
    times = [once() for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def _seconds(value: float | tuple[float, float]) -> str:
    if isinstance(value, tuple):  # (wall, CPU)
        return f"{_seconds(value[0])} (CPU {_seconds(value[1])})"
    return f"{value:.2f} s".replace(".", ",")


def _ratio(value: float) -> str:
    return f"{value:.1f} ×".replace(".", ",")


def command_line_figures(work: Path) -> list[tuple[str, str, str]]:
    policygen = [interpreter(), "-m", "policygen.cli"]
    rows = []
    for label, arguments in (("`policygen --help`", ["--help"]), ("`policygen rules list`", ["rules", "list"]),
                             ("`policygen clauses list`", ["clauses", "list"])):
        rows.append((label, _seconds(median_seconds([*policygen, *arguments])), "≤ 0,3 s"))
        print(*rows[-1], sep="  |  ", flush=True)

    profile = str(EXAMPLES / "ljungby.yaml")
    generate = [*policygen, "generate", profile, "--doc", "verksamhetsplan", "--force"]
    subprocess.run([*generate, "--format", "md", "-o", str(work / "md")], check=True, capture_output=True,
                   env=_environment())
    ours = median_seconds([*generate, "-o", str(work / "docx")])
    rows.append(("`generate` av ett dokument (Ljungbys verksamhetsplan)", _seconds(ours), "≤ 2 × pandoc"))
    print(*rows[-1], sep="  |  ", flush=True)
    if shutil.which("pandoc"):
        markdown = work / "md" / "ljungby-verksamhetsplan.md"
        theirs = median_seconds(["pandoc", str(markdown), "-o", str(work / "pandoc.docx")])
        rows.append(("pandoc: samma dokument från Markdown till DOCX", _seconds(theirs), "–"))
        print(*rows[-1], sep="  |  ", flush=True)
        rows.append(("`generate` / pandoc", f"{_ratio(ours[0] / theirs[0])} (CPU {_ratio(ours[1] / theirs[1])})",
                     "≤ 2 ×"))
    else:
        rows.append(("`generate` / pandoc", "pandoc saknas (apt-get install pandoc)", "≤ 2 ×"))
    print(*rows[-1], sep="  |  ", flush=True)

    draft = work / "docx" / "ljungby-verksamhetsplan.docx"
    rows.append(("Kall `policygen lint` av ett utkast (samma DOCX)",
                 _seconds(median_seconds([*policygen, "lint", str(draft)])), "≤ 1,0 s"))
    print(*rows[-1], sep="  |  ", flush=True)
    return rows


def in_process_lint(work: Path) -> list[tuple[str, str, str]]:
    from lint import best_of, python_docx_text

    from policygen.generate.assemble import assemble
    from policygen.lint.run import lint_files
    from policygen.profile.load import load_profile
    from policygen.render.docx.writer import render_docx

    base = assemble(load_profile(EXAMPLES / "ljungby.yaml"), "verksamhetsplan")
    words_per_copy = sum(len(text.split()) for text, _ in base.text_units())
    copies = max(1, round(10_000 / words_per_copy))
    path = work / "stort-utkast.docx"
    path.write_bytes(render_docx(replace(base, blocks=base.blocks * copies)))
    lint_files([path])  # spaCy and the lexicon load once per process
    read = best_of(5, lambda: python_docx_text(path))
    full = best_of(5, lambda: lint_files([path]))
    rows = [(f"Granskning i processen av {words_per_copy * copies} ord", _seconds(full), "–"),
            ("python-docx: läsa all text i samma fil", _seconds(read), "–"),
            ("Granskning / python-docx-läsning", _ratio(full / read), "≤ 3 ×")]
    for row in rows:
        print(*row, sep="  |  ", flush=True)
    return rows


def batch_figures(work: Path) -> list[tuple[str, str, str]]:
    from batch import run, ten_page_drafts

    policygen = [interpreter(), "-m", "policygen.cli"]
    seconds, memory, _ = run([*policygen, "generate", "--all-kommuner", str(EXAMPLES / "gemensam.yaml"),
                              "-o", str(work / "alla"), "--quiet"])
    files = len(list((work / "alla").iterdir()))
    rows = [(f"`generate --all-kommuner`: {files} dokument för 290 kommuner",
             f"{_seconds(seconds)}, minne högst {memory:.0f} MB", "< 60 s, < 1 GB")]
    print(*rows[-1], sep="  |  ", flush=True)
    drafts = work / "utkast"
    drafts.mkdir()
    words = ten_page_drafts(drafts)
    seconds, memory, _ = run([*policygen, "lint", str(drafts), "--format", "json", "--quiet"])
    rows.append((f"`lint` av en mapp med 290 utkast à {words} ord",
                 f"{_seconds(seconds)}, minne högst {memory:.0f} MB", "< 60 s, < 1 GB"))
    print(*rows[-1], sep="  |  ", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snabb", action="store_true", help="hoppa över batchkörningarna")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Maskin: {cores} kärnor, belastning {load:.1f} när mätningen började; median av {RUNS} nya processer, "
          "väggtid (CPU-tid inom parentes)")
    print(f"Python: {interpreter()}")
    work = Path(tempfile.mkdtemp(prefix="policygen-startup-"))
    try:
        rows = command_line_figures(work) + in_process_lint(work)
        if not args.snabb:
            rows += batch_figures(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| Mätning | Resultat | Mål |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
