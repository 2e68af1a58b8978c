"""Human report in Swedish: coverage table, then findings in document order."""

from __future__ import annotations

from policygen.clauses import load_library
from policygen.lint.engine import LintResult
from policygen.lint.rules import SEVERITY_NAMES, STATUS_NAMES, coverage_names


def place(location) -> str:
    parts = []
    if location.page is not None:
        parts.append(f"sidan {location.page}")
    if location.section:
        parts.append(f"avsnittet ”{location.section}”")
    parts.append(f"rad {location.line}" if location.line is not None else f"stycke {location.paragraph + 1}")
    return ", ".join(parts)


def render_text(result: LintResult) -> str:
    library = load_library()
    names = coverage_names()
    how = "angiven" if result.doc_type_source == "given" else "upptäckt från titel, rubriker och inledning"
    whose = f"{result.kommun} ({result.kommun_source})" if result.kommun else "okänd – ange --kommun för att kontrollera kommunnamn"
    lines = [f"Granskning av {result.file}", f"Dokumenttyp: {result.doc_type} ({how})",
             f"Kommun: {whose}", ""]
    lines.append("SKR:s framgångsfaktorer och utvecklingssteg")
    width = max(len(n) for n in names.values())
    for coverage_id, coverage in result.coverage.items():
        evidence = coverage.evidence[0].text if coverage.evidence else ""
        if len(evidence) > 70:
            evidence = evidence[:67] + "…"
        shown = f"  ”{evidence}”" if evidence else ""
        lines.append(f"  {names[coverage_id].ljust(width)}  {STATUS_NAMES[coverage.status].ljust(6)}{shown}")
    summary = result.summary()
    lines += ["", f"{summary['present']} av 12 delar finns, {summary['partial']} delvis, {summary['missing']} saknas.", ""]
    accepted = f" {result.accepted} accepterade anmärkningar visas inte." if result.accepted else ""
    if not result.findings:
        lines.append("Inga anmärkningar." + accepted)
        return "\n".join(lines)
    lines.append(f"Anmärkningar ({summary['errors']} fel, {summary['warnings']} varningar, "
                 f"{summary['infos']} upplysningar).{accepted}")
    for finding in result.findings:
        lines.append("")
        lines.append(f"[{SEVERITY_NAMES[finding.severity]}] {finding.rule} {finding.message}")
        if finding.evidence:
            lines.append(f"  Var: {place(finding.location)}: ”{finding.evidence}”")
        if finding.replacement:
            lines.append(f"  Förslag: ”{finding.replacement}”")
        lines.append(f"  Varför: {finding.why}")
        if finding.suggested_clauses:
            titles = [f"{cid} ({library.get(cid).title})" for cid in finding.suggested_clauses]
            lines.append(f"  Förslag från klausulbiblioteket: {', '.join(titles)}")
    return "\n".join(lines)
