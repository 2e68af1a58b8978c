"""Precision and recall of the fact checks, per kind of claim.

    python benchmarks/fact_rules.py            # both sentence sets, the labelled documents, generated documents
    python benchmarks/fact_rules.py --blind    # only the blind set

Two sets of Swedish sentences, each sentence linted as a small draft of its own:

- benchmarks/fakta-blind.yaml: written from the verified facts alone, before
  the claim rules existed, by someone who never saw them (kind, text, expect:
  flag | silent). Its first run is reported in the README; the mechanisms were
  then made more general with it in view.
- benchmarks/fakta-blind-2.yaml … -11.yaml: written the same way, later, by
  people who saw neither the rules nor the earlier sets. The rules were made
  more general after the first runs of sets 2–6 and 9–11; the seventh and
  eighth are held out: only their figures are printed (their sentences only
  with `--visa-utelamnade`), so no rule is shaped after them. Blind sentences
  are linted without a fixed kommun: a sentence is read as part of the draft
  of the organisation it names. A sentence expected to be
  flagged counts as found when any fact rule reports it; a silent one counts as
  a false alarm when any does.
- benchmarks/fakta-egna.yaml: the sentences the rules were built on (rule,
  fires, text); here the named rule must fire or stay silent.

Then the real documents of the labelled sets (../shared/lint-devset where it
exists, and the sets in benchmarks/): documents whose fact findings are
exactly those the reviewers expect; and the documents generated from the
example profiles, which must have no fact finding at all. Target: precision
and recall ≥ 0.9 per kind on the blind set.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ruamel.yaml import YAML

from policygen.cli import main as cli
from policygen.kommuner import find_kommun
from policygen.lint.engine import lint_document
from policygen.lint.run import lint_files
from policygen.model import DocumentBuilder

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TITLE = "Policy för sociala företag"
LABELLED = [ROOT.parent / "shared" / "lint-devset", HERE / "devset-extra", HERE / "devset-holdout", HERE / "devset-genrer"]
# The blind set no rule is shaped after: its figures are printed, its sentences are not.
HELD_OUT = {"fakta-blind-7.yaml", "fakta-blind-8.yaml"}
BLIND_SETS = ["fakta-blind.yaml"] + [f"fakta-blind-{n}.yaml" for n in range(2, 12)]
# The reviewers' names for the fact findings they expect, and the rules that report them.
EXPECTED_RULE = {"placeholder": "FA03", "skall": "KS01", "wrong-municipality": "FA04", "repealed-law": "FA01",
                 "stale-amount": "FA02", "expired": "FA06"}
# The kind of claim each own-set rule checks.
RULE_KIND = {"FA01": "lag", "FA02": "belopp", "FA03": "platshållare", "FA04": "annan kommun", "FA06": "giltighet",
             "FA07": "datum", "FA08": "paragraf", "FA09": "andel", "FA10": "skyldighet", "FA11": "iop",
             "FA12": "stod", "FA13": "strategi"}


def _findings(text: str, kommun: str | None = None) -> list:
    builder = DocumentBuilder(TITLE, doc_type="policy")
    builder.heading(TITLE, 0)
    for line in text.split("\n"):
        builder.paragraph(line)
    return lint_document(builder.document, "policy", kommun=kommun).findings


def _table(counts: dict[str, Counter], title: str) -> None:
    print(f"\n{title}")
    print(f"  {'slag':14} {'meningar':>8} {'rätt larm':>9} {'falska':>6} {'missar':>6} {'precision':>9} {'recall':>7}")
    for kind, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"  {kind:14} {sum(c.values()):>8} {c['tp']:>9} {c['fp']:>6} {c['fn']:>6} {precision:>9.0%} {recall:>7.0%}")


def _outcome(expected: bool, got: bool) -> str:
    return {(True, True): "tp", (False, True): "fp", (True, False): "fn", (False, False): "tn"}[(expected, got)]


def blind(name: str = "fakta-blind.yaml", show_wrong: bool = True) -> None:
    items = YAML(typ="safe").load((HERE / name).read_text(encoding="utf-8"))
    counts: dict[str, Counter] = {}
    wrong = []
    for item in items:
        # No kommun is given: a sentence is read as part of the draft of the organisation it names
        # ("Malmö stads kommunfullmäktige antar policyn" is Malmö's own draft, not a wrong kommun).
        findings = [f for f in _findings(item["text"]) if f.category == "fakta"]
        expected = item["expect"] == "flag"
        counts.setdefault(item["kind"], Counter())[_outcome(expected, bool(findings))] += 1
        if expected != bool(findings):
            wrong.append(f"  {item['kind']:11} {'missar' if expected else 'falskt larm ' + findings[0].rule}: "
                         f"{item['text']!r}")
    _table(counts, f"Blint skriven mängd (benchmarks/{name}, {len(items)} meningar):")
    if wrong and show_wrong:
        print("  Fel:")
        print("\n".join(wrong))


def own() -> None:
    table = YAML(typ="safe").load((HERE / "fakta-egna.yaml").read_text(encoding="utf-8"))
    counts: dict[str, Counter] = {}
    wrong = []
    for entry in table["sentences"]:
        rule, expected = entry["rule"], entry["fires"]
        got = any(f.rule == rule for f in _findings(entry["text"], entry.get("kommun", table["kommun"])))
        counts.setdefault(RULE_KIND.get(rule, rule), Counter())[_outcome(expected, got)] += 1
        if expected != got:
            wrong.append(f"  {rule} {'missar' if expected else 'falskt larm'}: {entry['text']!r}")
    _table(counts, f"Egen mängd som reglerna byggdes på (benchmarks/fakta-egna.yaml, {len(table['sentences'])} meningar):")
    if wrong:
        print("  Fel:")
        print("\n".join(wrong))


def documents() -> None:
    checked = set(EXPECTED_RULE.values())   # and every fact rule (category fakta), below
    print("\nVerkliga dokument: fynden som granskarna väntar sig (fakta och skall)")
    for folder in LABELLED:
        if not (folder / "labels.yaml").exists():
            continue
        labels = YAML(typ="safe").load((folder / "labels.yaml").read_text(encoding="utf-8"))["documents"]
        agree, differences = 0, []
        for name, label in labels.items():
            # A region is no kommun in the kommun table: its own name is then read from the text.
            kommun = label.get("kommun") if find_kommun(label.get("kommun") or "") else None
            run = lint_files([folder / name], kommun=kommun)
            if not run.results:
                differences.append(f"    {name}: kunde inte granskas: {run.errors}")
                continue
            result = run.results[0]
            got = {f.rule for f in result.findings if f.rule in checked or f.category == "fakta"}
            expected = {EXPECTED_RULE[r] for r in label.get("expect_rules", [])}
            if got == expected:
                agree += 1
            else:
                extra = sorted(got - expected)
                missing = sorted(expected - got)
                details = [f"{f.rule} ”{f.span.text}”" for f in result.findings if f.rule in extra]
                differences.append(f"    {name}: saknas {missing or '-'}, falska larm {details or '-'}")
        print(f"  {folder.name}: {agree} av {len(labels)} dokument exakt rätt")
        print("\n".join(differences))


def generated() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for profile in ("markaryd", "ljungby", "solleftea"):
            cli(["generate", str(ROOT / "examples" / f"{profile}.yaml"), "-o", folder, "--format", "md", "--force"])
        files = sorted(Path(folder).glob("*.md"))
        run = lint_files(files)
        alarms = [f"    {Path(r.file).name}: {f.rule} ”{f.span.text}”" for r in run.results for f in r.findings
                  if f.category == "fakta"]
        print(f"\nGenererade dokument ({len(files)} st.): {len(alarms)} faktafynd (ska vara 0)")
        print("\n".join(alarms))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind", action="store_true", help="bara den första blint skrivna mängden")
    for number in range(2, len(BLIND_SETS) + 1):
        held_out = BLIND_SETS[number - 1] in HELD_OUT
        parser.add_argument(f"--blind{number}", action="store_true",
                            help=f"bara blind mängd {number}" + (", som hålls utanför arbetet med reglerna" if held_out else ""))
    parser.add_argument("--visa-utelamnade", action="store_true",
                        help="visa också den utelämnade mängdens meningar som blev fel (då är den inte längre utelämnad)")
    args = parser.parse_args()
    started = time.perf_counter()
    for number, name in enumerate(BLIND_SETS[1:], start=2):
        if getattr(args, f"blind{number}"):
            blind(name, show_wrong=name not in HELD_OUT or args.visa_utelamnade)
            return
    for name in BLIND_SETS:
        blind(name, show_wrong=name not in HELD_OUT or args.visa_utelamnade)
    if not args.blind:
        own()
        documents()
        generated()
    print(f"\n{time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
