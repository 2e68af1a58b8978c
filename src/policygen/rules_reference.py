"""The rules reference, generated from lint_rules/ (CLI table and Markdown page)."""

from __future__ import annotations

from policygen.clauses import load_library
from policygen.lint.rules import SEVERITY_NAMES, CoverageRule
from policygen.vocabulary import DOC_TYPES


def rules_table(rules: tuple[CoverageRule, ...]) -> str:
    rows = [("ID", "TÄCKNINGSID", "POLICY", "RIKTLINJE", "HANDLINGSPLAN", "MEDDELANDE")]
    for rule in rules:
        rows.append((rule.id, rule.coverage_id, *(SEVERITY_NAMES[rule.severity[t]] for t in DOC_TYPES), rule.message))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row[:5], widths)) + "  " + row[5] for row in rows)


def rules_markdown(rules: tuple[CoverageRule, ...]) -> str:
    library = load_library()
    lines = ["# Granskningsregler", "",
             "Genererad från `lint_rules/skr.yaml` med `python -m policygen.rules_reference`. Ändra inte för hand.", ""]
    for rule in rules:
        lines += [f"## {rule.id} – {rule.name} (`{rule.coverage_id}`)", "", rule.message, "",
                  f"*Varför:* {rule.why} *Källa:* {rule.source}", "",
                  "| Dokumenttyp | Nivå om delen saknas |", "|---|---|"]
        lines += [f"| {t} | {SEVERITY_NAMES[rule.severity[t]]} |" for t in DOC_TYPES]
        clauses = ", ".join(f"`{c.id}`" for c in library.covering(rule.coverage_id))
        lines += ["", f"*Dåligt:* {rule.bad_example}  ", f"*Bra:* {rule.good_example}", "",
                  f"*Klausuler som täcker delen:* {clauses}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    from policygen.lint.rules import load_rules

    print(rules_markdown(load_rules()))
