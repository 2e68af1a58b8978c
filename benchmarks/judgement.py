"""How far the linter's coverage verdicts agree with expert labels.

    python benchmarks/judgement.py FOLDER [FOLDER ...]

FOLDER holds draft excerpts (.txt; leading lines that start with "# " are
source headers, not text) and a labels.yaml in the format of
../shared/lint-devset/labels.yaml. Prints, for the linter and for a plain
keyword search (one obvious word per part, as a reviewer's Ctrl-F):
exact agreement (present / partial / missing), lenient agreement (missing vs
not missing), per-id agreement and a confusion table, and the documents the
linter disagrees on. Also prints how the off-topic finding agrees with
`on_topic`."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ruamel.yaml import YAML

from policygen.errors import UserError
from policygen.kommuner import lookup_kommun
from policygen.lint.engine import lint_documents
from policygen.read.text import parse_text
from policygen.vocabulary import COVERAGE_IDS

STATUSES = ("present", "partial", "missing")

# What a reviewer would type into Ctrl-F for each part: found → present.
KEYWORDS = {
    "politisk-placering": ("nämnd", "styrelse"),
    "ansvarig-funktion": ("ansvar",),
    "intern-samordning": ("samordn",),
    "styrdokument": ("antag", "fastställ"),
    "handlingsplan": ("handlingsplan",),
    "extern-samverkan": ("samverk",),
    "uppfoljning": ("uppfölj", "följa upp", "följs upp"),
    "upphandling": ("upphandl",),
    "syfte": ("syfte",),
    "definition": ("definition", "avses"),
    "iop": ("iop", "partnerskap"),
    "vagar-till-stod": ("stöd",),
}


def excerpt_text(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("# "):
        lines.pop(0)
    return "\n".join(lines)


def keyword_verdicts(text: str) -> dict[str, str]:
    lowered = text.lower()
    return {cid: "present" if any(k in lowered for k in words) else "missing"
            for cid, words in KEYWORDS.items()}


def known_kommun(label: dict) -> str | None:
    """The labelled kommun when policygen knows it (regions are not in the kommun table)."""
    try:
        lookup_kommun(label.get("kommun") or "")
    except UserError:
        return None
    return label["kommun"]


def load_labels(folder: Path) -> dict:
    return YAML(typ="safe").load((folder / "labels.yaml").read_text(encoding="utf-8"))["documents"]


def score(pairs: list[tuple[str, str, str, str]]) -> tuple[float, float]:
    exact = sum(expected == got for _, _, expected, got in pairs)
    lenient = sum((expected == "missing") == (got == "missing") for _, _, expected, got in pairs)
    return exact / len(pairs), lenient / len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)

    linter_pairs, keyword_pairs = [], []
    topic_rows = []
    for folder in args.folders:
        labels = load_labels(folder)
        names = sorted(labels)
        texts = {name: excerpt_text(folder / name) for name in names}
        for name in names:
            label = labels[name]
            document = parse_text(texts[name], source=name, markdown=False)
            result = lint_documents([document], label.get("doc_type") or None, kommun=known_kommun(label))[0]
            got = {cid: c.status for cid, c in result.coverage.items()}
            keywords = keyword_verdicts(texts[name])
            for cid in COVERAGE_IDS:
                expected = label["coverage"][cid]
                linter_pairs.append((name, cid, expected, got[cid]))
                keyword_pairs.append((name, cid, expected, keywords[cid]))
            off_topic = any(f.rule == "SKR00" for f in result.findings)
            topic_rows.append((name, label.get("on_topic", True), not off_topic))

    print(f"{len(topic_rows)} dokument, {len(linter_pairs)} par (dokument, del)\n")
    print("Avvikelser (dokument  del  förväntat → linter):")
    for name, cid, expected, got in linter_pairs:
        if expected != got:
            print(f"  {name:38} {cid:20} {expected:8} → {got}")
    print("\nPer del              policygen         sökord        förväxling för policygen")
    print("                     exakt  lenient    exakt  lenient  (förväntat→fått: antal)")
    for cid in COVERAGE_IDS:
        mine = [p for p in linter_pairs if p[1] == cid]
        exact, lenient = score(mine)
        k_exact, k_lenient = score([p for p in keyword_pairs if p[1] == cid])
        confusion = Counter((e, g) for _, _, e, g in mine if e != g)
        text = ", ".join(f"{e}→{g}: {n}" for (e, g), n in sorted(confusion.items()))
        print(f"  {cid:20} {exact:5.0%}  {lenient:7.0%}   {k_exact:5.0%}  {k_lenient:7.0%}  {text}")
    topic_ok = sum(expected == got for _, expected, got in topic_rows)
    print(f"\nÄmne (on_topic) rätt bedömt: {topic_ok} av {len(topic_rows)}")
    k_exact, k_lenient = score(keyword_pairs)
    l_exact, l_lenient = score(linter_pairs)
    print(f"Sökord (Ctrl-F):  exakt {k_exact:.1%}  lenient {k_lenient:.1%}")
    print(f"policygen:        exakt {l_exact:.1%}  lenient {l_lenient:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
