"""Human report in Swedish: coverage table, then findings in document order."""

from __future__ import annotations

from policygen.lint.results import LintResult
from policygen.vocabulary import SEVERITY_NAMES, STATUS_NAMES


def place(location) -> str:
    parts = []
    if location.page is not None:
        parts.append(f"sidan {location.page}")
    if location.footnote is not None:
        parts.append(f"fotnot {location.footnote}")
        return ", ".join(parts)
    if location.section:
        parts.append(f"avsnittet ”{location.section}”")
    parts.append(f"rad {location.line}" if location.line is not None else f"stycke {location.paragraph + 1}")
    return ", ".join(parts)


def finding_place(finding) -> str:
    """Where a finding is, as a reader looks for it; a finding about something
    the draft lacks concerns the whole document, not its first paragraph."""
    return place(finding.span.location) if finding.span.text else "hela dokumentet"


def render_text(result: LintResult) -> str:
    how = "angiven" if result.doc_type_source == "given" else "upptäckt från titel, rubriker och inledning"
    whose = f"{result.kommun} ({result.kommun_source})" if result.kommun else "okänd – ange --kommun för att kontrollera kommunnamn"
    lines = [f"Granskning av {result.file}", f"Dokumenttyp: {result.doc_type} ({how})",
             f"Kommun: {whose}", ""]
    lines.append("SKR:s framgångsfaktorer och utvecklingssteg")
    width = max(len(c.name) for c in result.coverage.values())
    for coverage in result.coverage.values():
        evidence = coverage.evidence[0].text if coverage.evidence else ""
        if len(evidence) > 70:
            evidence = evidence[:67] + "…"
        shown = f"  ”{evidence}”" if evidence else ""
        lines.append(f"  {coverage.name.ljust(width)}  {STATUS_NAMES[coverage.status].ljust(6)}{shown}")
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
        if finding.span.text:
            lines.append(f"  Var: {place(finding.span.location)}: ”{finding.span.text}”")
        if finding.replacement:
            lines.append(f"  Förslag: ”{finding.replacement}”")
        lines.append(f"  Varför: {finding.why}")
        if finding.suggestions:
            titles = [f"{s.id} ({s.title})" for s in finding.suggestions]
            lines.append(f"  Förslag från klausulbiblioteket: {', '.join(titles)}")
    return "\n".join(lines)
