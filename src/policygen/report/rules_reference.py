"""The rules reference, generated from lint_rules/ (CLI table and Markdown page)."""

from __future__ import annotations

from policygen.generate.clauses import load_library
from policygen.lint.catalog import RuleInfo, rule_catalog
from policygen.vocabulary import DOC_TYPES, SEVERITY_NAMES


def rules_table(rules: list[RuleInfo]) -> str:
    rows = [("ID", "KATEGORI", "TÄCKNINGSID", "NIVÅ", "DOKUMENTTYPER", "MEDDELANDE")]
    for rule in rules:
        if rule.severity_by_type:
            level = "/".join(SEVERITY_NAMES[rule.severity_by_type[t]] for t in DOC_TYPES)
        else:
            level = SEVERITY_NAMES[rule.severity]
        # Text rules' messages are templates; their name says what they look for.
        rows.append((rule.id, rule.category, rule.coverage_id or "–", level, "alla",
                     rule.message if rule.coverage_id else rule.name))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row[:5], widths)) + "  " + row[5] for row in rows]
    lines.append("")
    lines.append("Nivå för täckningsregler: policy/riktlinje/handlingsplan. Ändra nivåer och stäng av regler "
                 "i policygen.yaml.")
    return "\n".join(lines)


def rules_markdown(rules: list[RuleInfo]) -> str:
    library = load_library()
    lines = ["# Granskningsregler", "",
             "Genererad från `lint_rules/skr.yaml`, `lint_rules/klarsprak.yaml` och `lint_rules/fakta.yaml` "
             "med `python -m policygen.report.rules_reference`. Ändra inte för hand.", ""]
    categories = {"täckning": "SKR:s framgångsfaktorer och utvecklingssteg", "klarspråk": "Klarspråk",
                  "fakta": "Fakta och kopieringsfel"}
    for category in dict.fromkeys(r.category for r in rules):
        lines += [f"## {categories.get(category, category.capitalize())}", ""]
        for rule in (r for r in rules if r.category == category):
            title = f"### {rule.id} – {rule.name}" + (f" (`{rule.coverage_id}`)" if rule.coverage_id else "")
            checked = f", kontrollerad {rule.as_of}" if rule.as_of else ""
            lines += [title, "", rule.message, "", f"*Varför:* {rule.why} *Källa:* {rule.source}{checked}", ""]
            if rule.severity_by_type and rule.coverage_id and rule.examples:
                lines += ["| Dokumenttyp | Nivå om delen saknas |", "|---|---|"]
                lines += [f"| {t} | {SEVERITY_NAMES[rule.severity_by_type[t]]} |" for t in DOC_TYPES]
                clauses = ", ".join(f"`{c.id}`" for c in library.covering(rule.coverage_id))
                lines += ["", f"*Dåligt:* {rule.examples[0]}  ", f"*Bra:* {rule.examples[1]}", "",
                          f"*Klausuler som täcker delen:* {clauses}", ""]
            else:
                lines += [f"*Nivå:* {SEVERITY_NAMES[rule.severity]}", ""]
                if rule.kind:
                    lines += [f"*Sort:* {rule.kind}", ""]
                lines += [f"- {detail}" for detail in rule.details] + [""]
                if rule.examples:
                    lines += [f"*Hittas:* {rule.examples[0]}  ", f"*Godtas:* {rule.examples[1]}", ""]
    return "\n".join(lines)


if __name__ == "__main__":

    print(rules_markdown(rule_catalog()))
