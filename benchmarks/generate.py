"""Generation benchmark: every document for one synthetic profile per kommun.

    python benchmarks/generate.py            # all 290 kommuner
    python benchmarks/generate.py --limit 50 --pdf 6

Prints the total time and the time per document (assemble + render to DOCX
in memory, as `policygen generate` does before writing). Target: < 100 ms per
document in-process. With LibreOffice installed it also prints the time for
`--format pdf` per document, next to the DOCX time: each of the first --pdf
documents converted on its own (as `generate --doc X --format pdf` does), and
all of them in one LibreOffice run (as `generate --format pdf` does for a profile).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from policygen.generate.assemble import assemble
from policygen.generate.clauses import load_library
from policygen.generate.recipes import recipe_for
from policygen.infra.yamlio import load_yaml, to_plain
from policygen.kommuner import all_kommuner
from policygen.profile.load import profile_from_data
from policygen.render.docx.writer import render_docx
from policygen.render.pdf import publish, soffice_command

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def synthetic_profiles(limit: int | None):
    templates = {style: to_plain(load_yaml(EXAMPLES / f"{style}.yaml")) for style in ("markaryd", "ljungby")}
    for index, kommun in enumerate(all_kommuner()[:limit]):
        style = ("markaryd", "ljungby")[index % 2]
        data = to_plain(templates[style])
        data["kommun"] = {"namn": kommun.namn, "kommunkod": kommun.kod}
        data.pop("kopplad_policy", None)
        yield profile_from_data(data, Path(f"{kommun.namn}.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="antal kommuner (standard: alla 290)")
    parser.add_argument("--pdf", type=int, default=6, metavar="N",
                        help="mät PDF för de N första dokumenten (standard 6; 0 = ingen PDF)")
    args = parser.parse_args()

    start = time.perf_counter()
    library = load_library()
    for style in ("markaryd", "ljungby"):
        recipe_for(style)
    startup = time.perf_counter() - start

    timings: list[float] = []
    total_bytes = 0
    word_files: list[bytes] = []
    begin = time.perf_counter()
    for profile in synthetic_profiles(args.limit):
        for doc in recipe_for(profile.style).documents:
            t0 = time.perf_counter()
            document = assemble(profile, doc.key, library)
            content = render_docx(document)
            total_bytes += len(content)
            timings.append(time.perf_counter() - t0)
            if len(word_files) < args.pdf:
                word_files.append(content)
    total = time.perf_counter() - begin

    ms = sorted(t * 1000 for t in timings)
    print(f"Laddning av klausuler och recept: {startup * 1000:.0f} ms")
    print(f"Dokument: {len(ms)} (för {len(ms) // 2} kommuner), totalt {total:.2f} s, {total_bytes / 1e6:.1f} MB DOCX")
    print(f"Per dokument: median {statistics.median(ms):.1f} ms, medel {statistics.mean(ms):.1f} ms, "
          f"95:e percentilen {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms (mål: < 100 ms)")
    if word_files:
        report_pdf(word_files, statistics.median(ms))


def report_pdf(word_files: list[bytes], docx_median_ms: float) -> None:
    if soffice_command() is None:
        print("PDF: LibreOffice saknas, ingen mätning (installera libreoffice-writer och fonts-crosextra-carlito)")
        return
    single = []
    for content in word_files:
        t0 = time.perf_counter()
        publish([content])
        single.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    publish(word_files)
    together = (time.perf_counter() - t0) * 1000 / len(word_files)
    print(f"PDF (--format pdf, LibreOffice) för {len(word_files)} dokument: ett i taget median "
          f"{statistics.median(single):.0f} ms, max {max(single):.0f} ms per dokument; alla i en körning "
          f"{together:.0f} ms per dokument (DOCX: median {docx_median_ms:.1f} ms)")


if __name__ == "__main__":
    main()
