"""Batch benchmark: the whole country in one go, as a user runs it.

    python benchmarks/batch.py
    python benchmarks/batch.py --jobs 2

Runs the real command line in new processes and prints, against the targets
for a 2-core machine:
  1. policygen generate --all-kommuner: 290 kommuner × every document type
     (target under 60 s),
  2. policygen lint on a folder of 290 drafts of about ten pages each
     (target under 60 s),
  3. the peak memory of each run, the main process and its workers together
     (target under 1 GB; forked workers share pages, so the sum is an upper bound).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from policygen.generate.assemble import assemble
from policygen.kommuner import all_kommuner
from policygen.profile.load import load_profile
from policygen.render.docx.writer import render_docx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WORDS_PER_PAGE = 400


def _tree_rss_mb(root: int) -> float:
    """Sum of resident memory of a process and all its descendants (Linux /proc).
    Forked workers share pages with their parent, so this is an upper bound."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, changed = {root}, True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def run(command: list[str]) -> tuple[float, float, int]:
    """Wall time, peak memory in MB (the command and its workers together), exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while process.poll() is None:
        if Path("/proc").is_dir():
            peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):
        print(process.stderr.read(), file=sys.stderr)
    return seconds, peak, process.returncode


def ten_page_drafts(folder: Path) -> int:
    """290 drafts of about ten pages: each kommun's verksamhetsplan, repeated to length."""
    profile = load_profile(EXAMPLES / "ljungby.yaml")
    base = assemble(profile, "verksamhetsplan")
    words = sum(len(text.split()) for text, _ in base.text_units())
    copies = max(1, math.ceil(10 * WORDS_PER_PAGE / words))
    data = render_docx(replace(base, blocks=base.blocks * copies))
    for kommun in all_kommuner():
        (folder / f"{kommun.namn} utkast.docx").write_bytes(data)
    return words * copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="antal processer (standard: alla kärnor)")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    policygen = [sys.executable, "-m", "policygen.cli"]
    work = Path(tempfile.mkdtemp(prefix="policygen-batch-"))
    try:
        print(f"Maskin: {cores} kärnor; processer: {args.jobs or cores}")
        seconds, memory, code = run([*policygen, "generate", "--all-kommuner", str(EXAMPLES / "gemensam.yaml"),
                                     "-o", str(work / "dokument"), "--quiet", *jobs])
        files = len(list((work / "dokument").iterdir()))
        print(f"Generering: {files} dokument för 290 kommuner på {seconds:.1f} s (mål < 60 s); "
              f"minne högst {memory:.0f} MB (mål < 1 GB); slutkod {code}")

        drafts = work / "utkast"
        drafts.mkdir()
        words = ten_page_drafts(drafts)
        seconds, memory, code = run([*policygen, "lint", str(drafts), "--format", "json", "--quiet", *jobs])
        print(f"Granskning: 290 utkast à {words} ord (~{words // WORDS_PER_PAGE} sidor) på {seconds:.1f} s "
              f"(mål < 60 s); minne högst {memory:.0f} MB (mål < 1 GB); slutkod {code}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
