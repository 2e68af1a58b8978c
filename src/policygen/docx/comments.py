"""A reviewed copy of a DOCX draft: every finding becomes a Word comment by
"policygen" on the text of its evidence, and one comment on the title sums up
the coverage. The draft itself is only read, never written."""

from __future__ import annotations

import io
from pathlib import Path

from policygen.docx.anchors import W, body_paragraphs
from policygen.errors import UserError
from policygen.lint.results import Finding, LintResult
from policygen.lint.rules import SEVERITY_NAMES
from policygen.output import write_atomic

AUTHOR = "policygen"
INITIALS = "PG"
_W = W


def annotate_docx(source: Path, result: LintResult, target: Path, force: bool = False) -> int:
    """Write the commented copy to `target`; returns the number of comments."""
    import docx

    if source.suffix.lower() != ".docx":
        raise UserError("--annotate fungerar bara för Word-dokument (.docx)", file=source,
                        hint="granska PDF- och textfiler med --format html eller text")
    if target.resolve() == source.resolve():
        raise UserError("kopian med kommentarer kan inte skrivas över originalet", file=target,
                        hint="ange ett annat filnamn, t.ex. utkast-granskad.docx")
    if target.suffix.lower() != ".docx":
        raise UserError("filen för kommentarerna ska sluta på .docx", file=target, hint="t.ex. utkast-granskad.docx")
    from policygen.docx.reader import check_docx_container

    check_docx_container(source, verify_all=True)  # python-docx unpacks every part, with no limit of its own
    word = docx.Document(str(source))
    paragraphs = body_paragraphs(word.element.body)
    placed = 0
    unplaced: list[Finding] = []
    for finding in result.findings:
        runs = _evidence_runs(word, paragraphs, finding) if finding.span.text else None
        if runs:
            word.add_comment(runs, text=_comment_text(finding), author=AUTHOR, initials=INITIALS)
            placed += 1
        else:
            unplaced.append(finding)
    title_runs = _title_runs(word, paragraphs)
    if title_runs:
        word.add_comment(title_runs, text=_summary_text(result, unplaced), author=AUTHOR, initials=INITIALS)
        placed += 1
    buffer = io.BytesIO()
    word.save(buffer)
    write_atomic(target, buffer.getvalue(), force=force)
    return placed


def _runs_of(word, element) -> list:
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(element, word._body)
    runs: list = []
    for item in paragraph.iter_inner_content():
        runs += item.runs if hasattr(item, "runs") else [item]
    return [run for run in runs if run.text]


def _normalised_map(raw: str) -> list[int]:
    """Index in " ".join(raw.split()) → index in raw, as the DOCX reader normalises."""
    positions: list[int] = []
    previous_space = True
    for index, char in enumerate(raw):
        if char.isspace():
            if not previous_space:
                positions.append(index)
            previous_space = True
        else:
            positions.append(index)
            previous_space = False
    return positions


def _evidence_runs(word, paragraphs: list, finding: Finding) -> list | None:
    element = _paragraph_for(paragraphs, finding)
    if element is None:
        return None
    runs = _runs_of(word, element)
    if not runs:
        return None
    raw = "".join(run.text for run in runs)
    normalised = " ".join(raw.split())
    evidence = finding.span.text
    start, end = finding.span.start, finding.span.end
    if normalised[start:end] != evidence:
        found = normalised.find(evidence)
        if found < 0:
            return runs  # the evidence spans cells or lines: comment the whole paragraph
        start, end = found, found + len(evidence)
    positions = _normalised_map(raw)
    if end == 0 or end > len(positions):
        return runs
    raw_start, raw_end = positions[start], positions[end - 1] + 1
    chosen, offset = [], 0
    for run in runs:
        length = len(run.text)
        if offset < raw_end and raw_start < offset + length:
            chosen.append(run)
        offset += length
    return chosen or runs


def _paragraph_for(paragraphs: list, finding: Finding):
    location, evidence = finding.span.location, finding.span.text
    if location.footnote is not None:
        for element in paragraphs:
            for reference in element.iter(f"{_W}footnoteReference"):
                if reference.get(f"{_W}id") == location.footnote:
                    return element
        return None
    if location.anchor is not None and location.anchor < len(paragraphs):
        element = paragraphs[location.anchor]
        table = next(element.iterancestors(f"{_W}tbl"), None)
        if table is not None and evidence:
            # A table row is one unit in the linter; comment the cell that holds the evidence.
            for cell_paragraph in table.iter(f"{_W}p"):
                text = " ".join("".join(t.text or "" for t in cell_paragraph.iter(f"{_W}t")).split())
                if text and (evidence in text or text in evidence):
                    return cell_paragraph
        return element
    return None


def _title_runs(word, paragraphs: list) -> list | None:
    for element in paragraphs:
        runs = _runs_of(word, element)
        if any(run.text.strip() for run in runs):
            return runs
    return None


def _headline(finding: Finding) -> str:
    return f"{SEVERITY_NAMES[finding.severity].capitalize()} ({finding.rule}): {finding.message}"


def _clause_titles(finding: Finding) -> str:
    return "Klausuler som täcker delen: " + ", ".join(s.title for s in finding.suggestions)


def _comment_text(finding: Finding) -> str:
    lines = [_headline(finding)]
    if finding.replacement:
        lines.append(f"Förslag: ”{finding.replacement}”")
    if finding.suggestions:
        lines.append(_clause_titles(finding))
    lines.append(f"Varför: {finding.why}")
    return "\n".join(lines)


def _summary_text(result: LintResult, unplaced: list[Finding]) -> str:
    summary = result.summary()
    missing = [c.name.lower() for c in result.coverage.values() if c.status == "missing"]
    partial = [c.name.lower() for c in result.coverage.values() if c.status == "partial"]
    lines = [f"{summary['present']} av 12 delar finns"
             + (f"; delvis: {', '.join(partial)}" if partial else "")
             + (f"; saknas: {', '.join(missing)}" if missing else "") + "."]
    for finding in unplaced:
        lines.append(_headline(finding) + (f" {_clause_titles(finding)}." if finding.suggestions else ""))
    lines.append(f"Granskat av policygen: {summary['errors']} fel, {summary['warnings']} varningar, "
                 f"{summary['infos']} upplysningar.")
    return "\n".join(lines)
