"""Precision and recall of the fact rules over the sentence table.

    python benchmarks/fact_rules.py [tests/data/fact_sentences.yaml]

Lints every entry of the table (one small draft each, with the entry's own
kommun) and prints, per rule, how often it fired where it should (true
positives), fired where it should not (false alarms) and stayed silent where
it should have fired (misses), with precision and recall. Target: every rule
at ≥ 95 % precision and ≥ 90 % recall. Entries that fail are listed below the
table so a rule author sees which sentences to look at.

Where ../shared/lint-devset exists, it also lints those real excerpts and
counts the documents whose fact findings are exactly the ones the experts
expect (labels.yaml: expect_rules).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from ruamel.yaml import YAML

from policygen.kommuner import find_kommun
from policygen.lint.engine import lint_document
from policygen.lint.run import lint_files
from policygen.model import DocumentBuilder

TABLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "fact_sentences.yaml"
TITLE = "Policy för sociala företag"
DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "lint-devset"
EXPECTED_RULE = {"placeholder": "FA03", "skall": "KS01", "wrong-municipality": "FA04", "repealed-law": "FA01",
                 "stale-amount": "FA02", "expired": "FA06"}


def fired(text: str, kommun: str, rule: str) -> bool:
    builder = DocumentBuilder(TITLE, doc_type="policy")
    builder.heading(TITLE, 0)
    for line in text.split("\n"):
        builder.paragraph(line)
    result = lint_document(builder.document, "policy", kommun=kommun)
    return any(f.rule == rule for f in result.findings)


def main(path: Path = TABLE) -> None:
    table = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    counts: dict[str, Counter] = {}
    wrong: list[str] = []
    started = time.perf_counter()
    for entry in table["sentences"]:
        rule, expected = entry["rule"], entry["fires"]
        got = fired(entry["text"], entry.get("kommun", table["kommun"]), rule)
        outcome = {(True, True): "tp", (False, True): "fp", (True, False): "fn", (False, False): "tn"}[
            (expected, got)]
        counts.setdefault(rule, Counter())[outcome] += 1
        if expected != got:
            wrong.append(f"  {rule} {'missar' if expected else 'falskt larm'}: {entry['text']!r}")
    elapsed = time.perf_counter() - started
    print(f"{'regel':6} {'meningar':>8} {'rätt larm':>9} {'falska':>6} {'missar':>6} {'precision':>9} {'recall':>7}")
    for rule, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"{rule:6} {sum(c.values()):>8} {c['tp']:>9} {c['fp']:>6} {c['fn']:>6} "
              f"{precision:>9.0%} {recall:>7.0%}")
    total = sum(sum(c.values()) for c in counts.values())
    print(f"{total} meningar på {elapsed:.1f} s")
    if wrong:
        print("Fel:")
        print("\n".join(wrong))
    if (DEVSET / "labels.yaml").exists():
        devset()


def devset() -> None:
    labels = YAML(typ="safe").load((DEVSET / "labels.yaml").read_text(encoding="utf-8"))["documents"]
    checked = set(EXPECTED_RULE.values()) | {"FA07"}
    agree, differences = 0, []
    for name, label in labels.items():
        kommun = label["kommun"] if find_kommun(label["kommun"]) else None
        result = lint_files([DEVSET / name], label.get("doc_type"), kommun=kommun).results[0]
        fired = {f.rule for f in result.findings if f.rule in checked}
        expected = {EXPECTED_RULE[e] for e in label["expect_rules"]}
        agree += fired == expected
        if fired != expected:
            differences.append(f"  {name}: väntat {sorted(expected)}, fick {sorted(fired)}")
    print(f"lint-devset: {agree} av {len(labels)} dokument har exakt de faktafynd experterna väntar sig")
    for line in differences:
        print(line)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TABLE)
