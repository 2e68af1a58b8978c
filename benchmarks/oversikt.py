"""Overview benchmark: the whole country, as a user runs it.

    python benchmarks/oversikt.py
    python benchmarks/oversikt.py --jobs 2 --bilder docs/

Makes a folder of 290 kommuner × 2 documents (Word documents generated from
examples/gemensam.yaml, and for three kommuner in four Markdown versions with
only some sections kept, so the map has every colour), then runs the real
command line in a new process, with its progress bar, and prints against the
targets for a 2-core machine:
  1. `policygen oversikt` over the 580 documents: under 60 s,
  2. its peak memory, the main process and its workers together: under 1 GB,
  3. the page's size (target about 300 kB) and the time Chromium takes to
     open it until the map is coloured and the table sortable: under 1 s,
  4. a second run a year later into the same archive (change and charts).
With --bilder the page is photographed at 1280 and 390 px (oversikt.png,
oversikt-390.png, and the whole page as oversikt-hel.png) for a person to look at.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policygen.kommuner import all_kommuner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SECTIONS = ["Syfte", "Vägar till stöd", "Upphandling med", "Idéburet", "Intern samordning", "Extern samverkan",
            "Uppföljning", "Ansvarsfördelning", "Rådgivning", "Reserverad"]


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc), in MB.
    Forked workers share pages with their parent, so the sum is an upper bound."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
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
    """Wall time, peak memory in MB, exit code; the progress bar shows on the terminal."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        if Path("/proc").is_dir():
            peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.2)
    return time.perf_counter() - start, peak, process.returncode


def keep_sections(text: str, headings: list[str]) -> str:
    kept, on = [], True
    for line in text.split("\n"):
        if line.startswith("##"):
            on = any(line.lstrip("# ").startswith(h) for h in headings)
        if on:
            kept.append(line)
    return "\n".join(kept)


def make_folder(work: Path, policygen: list[str]) -> Path:
    """580 documents: both Word documents for a quarter of the kommuner, and for
    the rest two Markdown versions of the policy with a few sections each."""
    word, markdown, folder = work / "word", work / "markdown", work / "dokument"
    for fmt, target in (("docx", word), ("md", markdown)):
        subprocess.run([*policygen, "generate", "--all-kommuner", str(EXAMPLES / "gemensam.yaml"), "-o", str(target),
                        "--doc", "policy", "--doc", "handlingsplan", "--format", fmt, "--quiet"], check=True)
    folder.mkdir()
    chance = random.Random(26)
    for index, kommun in enumerate(all_kommuner()):
        stem = kommun.namn.lower().replace(" ", "-")   # as `generate --all-kommuner` names the files
        if index % 4 == 0:
            for path in word.glob(f"{stem}-*.docx"):
                shutil.copy(path, folder / path.name)
            continue
        policy = next(markdown.glob(f"{stem}-policy*.md")).read_text(encoding="utf-8")
        policy = policy.replace(f"{kommun.namn} kommun", "Kommunen")  # a little variety in the evidence too
        for number in (1, 2):
            chosen = chance.sample(SECTIONS, chance.randint(0, 3 + index % 3))
            (folder / f"{stem}-del-{number}.md").write_text(keep_sections(policy, chosen), encoding="utf-8")
    return folder


def open_in_chromium(page: Path, shots: Path | None) -> float:
    """Seconds from navigation until the page's script has run (the load event)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(page.as_uri())   # warm the browser itself once
        timings = []
        for _ in range(3):
            tab.goto("about:blank")
            tab.goto(page.as_uri(), wait_until="load")
            timings.append(tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(shots / "oversikt.png"))
            tab.screenshot(path=str(shots / "oversikt-hel.png"), full_page=True)
            narrow = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            narrow.goto(page.as_uri())
            narrow.screenshot(path=str(shots / "oversikt-390.png"))
        browser.close()
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="antal processer (standard: alla kärnor)")
    parser.add_argument("--bilder", type=Path, help="mapp där sidan fotograferas (1280 och 390 px)")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    policygen = [sys.executable, "-m", "policygen.cli"]
    work = Path(tempfile.mkdtemp(prefix="policygen-oversikt-"))
    try:
        print(f"Maskin: {cores} kärnor; processer: {args.jobs or cores}")
        folder = make_folder(work, policygen)
        count = len(list(folder.iterdir()))
        page, archive = work / "forra" / "oversikt.html", work / "arkiv.sqlite"
        page.parent.mkdir()
        seconds, memory, code = run([*policygen, "oversikt", str(folder), "-o", str(page), "--arkiv", str(archive),
                                     *jobs])
        print(f"Översikt: {count} dokument från 290 kommuner på {seconds:.1f} s (mål < 60 s); "
              f"minne högst {memory:.0f} MB (mål < 1 GB); slutkod {code}")
        # A year on: a tenth of the kommuner have adopted the whole policy and plan.
        for index, kommun in enumerate(all_kommuner()):
            if index % 10 == 1:
                for path in folder.glob(f"{kommun.namn.lower().replace(' ', '-')}-del-*.md"):
                    path.unlink()
                stem = kommun.namn.lower().replace(" ", "-")
                for path in (work / "word").glob(f"{stem}-*.docx"):
                    shutil.copy(path, folder / path.name)
        later = work / "oversikt.html"
        seconds, memory, code = run([*policygen, "oversikt", str(folder), "-o", str(later), "--arkiv", str(archive),
                                     "--quiet", *jobs])
        print(f"Andra körningen (samma arkiv, förändring och diagram): {seconds:.1f} s; minne högst {memory:.0f} MB; "
              f"slutkod {code}")
        size = later.stat().st_size
        print(f"Sidan: {size / 1000:.0f} kB (mål ~300 kB); CSV {later.with_suffix('.csv').stat().st_size / 1000:.0f} kB, "
              f"JSON {later.with_suffix('.json').stat().st_size / 1000:.0f} kB")
        opened = open_in_chromium(later, args.bilder)
        print(f"Chromium öppnar sidan (till load-händelsen, skriptet kört) på {opened:.2f} s (mål < 1 s)")
        if args.bilder:
            print(f"Bilder: {args.bilder / 'oversikt.png'} och {args.bilder / 'oversikt-390.png'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
