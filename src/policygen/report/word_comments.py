"""A reviewed copy of a DOCX draft: every finding becomes a Word comment by
"policygen" on the text of its evidence, and one comment on the title sums up
the coverage. The draft itself is only read, never written.

The copy is made from the draft's raw parts (docx.raw_package), not through
python-docx, so every file the linter reads can be commented: the comments
find their runs inside hyperlinks, fields, content controls, smart tags and
tracked insertions, and a draft's own comments part is kept when Word could
read it.

Where a comment goes, in order: exactly the words of the finding's evidence
("skall", the law cited, the amount, the sentence a coverage verdict quotes),
the runs that hold them cut at the evidence's edges; the whole paragraph when
the evidence cannot be found in it as one stretch; the end of the paragraph
when it has no shown text. A part of the policy the draft lacks is commented
on the heading of the section where a reader expects it ("Uppföljning") when
the draft has one; otherwise it, and evidence the body does not hold, is
listed in the summary comment on the title, with its place when it has one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.infra.output import write_atomic
from policygen.lint.results import Finding, LintResult
from policygen.ooxml.anchors import W, body_paragraphs
from policygen.ooxml.comment_part import CommentWriter
from policygen.ooxml.container import check_docx_container
from policygen.ooxml.raw_package import MAIN_PART, RawPackage
from policygen.ooxml.runs import split_run
from policygen.ooxml.visible import Visibility, paragraph_text, run_text, shown_runs
from policygen.report.text import place
from policygen.vocabulary import SEVERITY_NAMES

AUTHOR = "policygen"
INITIALS = "PG"
_W = W
LEFT_OUT_NOTE = ("Delar av utkastet som Word inte kan läsa och som därför inte finns med i den här kopian "
                 "(bland dem kan tidigare kommentarer, listnumrering eller sidhuvuden vara): ")


def annotate_docx(source: Path, result: LintResult, target: Path, force: bool = False) -> int:
    """Write the commented copy to `target`; returns the number of comments."""
    if source.suffix.lower() != ".docx":
        raise UserError("--annotate fungerar bara för Word-dokument (.docx)", file=source,
                        hint="granska PDF- och textfiler med --format html eller text")
    if target.resolve() == source.resolve():
        raise UserError("kopian med kommentarer kan inte skrivas över originalet", file=target,
                        hint="ange ett annat filnamn, t.ex. utkast-granskad.docx")
    if target.suffix.lower() != ".docx":
        raise UserError("filen för kommentarerna ska sluta på .docx", file=target, hint="t.ex. utkast-granskad.docx")

    package, document, body, left_out = open_copy(source)
    visibility = Visibility.from_styles(package.xml("word/styles.xml"))
    writer = CommentWriter(package, document, AUTHOR, INITIALS)
    paragraphs = body_paragraphs(body)
    placed, unplaced = _comment_findings(writer, paragraphs, result.findings, visibility)
    placed, unplaced = _comment_at_headings(writer, paragraphs, unplaced, result, _headings(source), visibility,
                                            placed)
    summary = _summary_text(result, unplaced, left_out + writer.left_out)
    placed += _comment_summary(writer, paragraphs, summary, visibility)
    writer.finish()
    write_atomic(target, package.to_bytes(), force=force)
    return placed


def open_copy(source: Path) -> tuple[RawPackage, Any, Any, list[str]]:
    """The draft's parts for a copy (the commented or the revised one): its
    package, main document and body, and the parts Word could not read, which
    stay out of the copy with what pointed to them."""
    try:
        check_docx_container(source, verify_all=True)  # every part is unpacked, so every part is counted
        package = RawPackage.read(source)
    except OSError as exc:  # the draft was read a moment ago; a share or a permission may have changed since
        raise UserError(f"utkastet går inte att läsa igen för kopian ({exc.strerror or exc.__class__.__name__})",
                        file=source, hint="kontrollera att filen finns och går att öppna, och försök igen") from None
    document = package.xml(MAIN_PART)
    body = document.find(f"{_W}body") if document is not None else None
    if body is None:  # the linter refuses the same file; this is only reached if it changed meanwhile
        raise UserError("Word-dokumentet saknar innehåll (ingen w:body)", file=source,
                        hint="öppna filen i Word och spara den igen som .docx")
    # A copy Word opens without a repair: unreadable parts stay out, and so does what pointed to them.
    left_out = package.leave_out_broken_parts()
    package.drop_dangling_references(MAIN_PART, document)
    return package, document, body, left_out


def _comment_findings(writer: CommentWriter, paragraphs: list[Any], findings: list[Finding],
                      visibility: Visibility) -> tuple[int, list[Finding]]:
    """Comment each finding at its place; returns how many were placed, and the rest."""
    placed = 0
    unplaced: list[Finding] = []
    for finding in findings:
        paragraph = _paragraph_for(paragraphs, finding, visibility) if finding.span.text else None
        if paragraph is None:
            unplaced.append(finding)
            continue
        runs = _evidence_runs(paragraph, finding, visibility)
        if runs:
            writer.on_runs(paragraph, runs[0], runs[-1], _comment_text(finding))
        else:
            writer.on_paragraph_end(paragraph, _comment_text(finding))
        placed += 1
    return placed, unplaced


def _headings(source: Path) -> list[tuple[str, int]]:
    """The draft's section headings as the linter read them: (text, paragraph anchor)."""
    # Start-up time: the DOCX reader is loaded only when a copy is commented.
    from policygen.read.docx import read_docx

    try:
        document = read_docx(source)
    except UserError:  # the linter read it a moment ago; if it changed since, the title takes everything
        return []
    return [(heading.text, heading.location.anchor) for heading in document.headings()
            if heading.level >= 1 and heading.location.anchor is not None]


# Words of a part's name too general to point to a section ("Definition av sociala företag").
_GENERAL_WORDS = frozenset({"sociala", "socialt", "företag", "eller", "med", "till", "av", "och"})


def _expected_heading(name: str, headings: list[tuple[str, int]]) -> int | None:
    """The anchor of the first heading that names the part ("Uppföljning och
    utvärdering" for Uppföljning): where a reader looks for what is missing."""
    stems = {word[:6] for word in name.lower().split() if len(word) >= 5 and word not in _GENERAL_WORDS}
    for text, anchor in headings:
        if any(word.startswith(stem) for word in text.lower().split() for stem in stems):
            return anchor
    return None


def _comment_at_headings(writer: CommentWriter, paragraphs: list[Any], findings: list[Finding],
                         result: LintResult, headings: list[tuple[str, int]], visibility: Visibility,
                         placed: int) -> tuple[int, list[Finding]]:
    """A part the draft lacks is commented on the heading of the section where a
    reader expects it, when there is one; the rest go to the title's summary."""
    rest = []
    for finding in findings:
        coverage = result.coverage.get(finding.coverage_id or "")
        anchor = _expected_heading(coverage.name, headings) if coverage and not finding.span.text else None
        heading = paragraphs[anchor] if anchor is not None and anchor < len(paragraphs) else None
        runs = _text_runs(heading, visibility) if heading is not None else []
        if not runs:
            rest.append(finding)
            continue
        writer.on_runs(heading, runs[0], runs[-1], _comment_text(finding))
        placed += 1
    return placed, rest


def _comment_summary(writer: CommentWriter, paragraphs: list[Any], summary: str, visibility: Visibility) -> int:
    """The summary on the title's text; returns 1, or 0 for a body without paragraphs."""
    title = _title_paragraph(paragraphs, visibility)
    title_runs = _text_runs(title, visibility) if title is not None else []
    if title_runs:
        writer.on_runs(title, title_runs[0], title_runs[-1], summary)
    elif paragraphs:  # no shown text at all: the linter refuses such a draft, but the copy stays whole
        writer.on_paragraph_end(paragraphs[0], summary)
    else:
        return 0
    return 1


def _text_runs(paragraph: Any, visibility: Visibility) -> list[Any]:
    return [run for run in shown_runs(paragraph, visibility) if run_text(run)]


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


def _evidence_runs(paragraph: Any, finding: Finding, visibility: Visibility) -> list[Any]:
    """The runs that hold the evidence; all of the paragraph's text runs when
    the evidence is not in it as one stretch; [] when it has no shown text."""
    if finding.span.location.footnote is not None:
        # The note's text lives in the footnotes part; the comment marks its reference.
        for reference in paragraph.iter(f"{_W}footnoteReference"):
            run = reference.getparent()
            if reference.get(f"{_W}id") == finding.span.location.footnote and run is not None \
                    and run.tag == f"{_W}r":
                return [run]
    runs = _text_runs(paragraph, visibility)
    if not runs:
        return []
    raw = "".join(run_text(run) for run in runs)
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
    # Cut the runs at the evidence's edges, so the comment covers its words and no more.
    for cut in (raw_end, raw_start):
        _cut_runs_at(paragraph, visibility, cut)
    chosen, offset = [], 0
    for run in _text_runs(paragraph, visibility):
        length = len(run_text(run))
        if offset < raw_end and raw_start < offset + length:
            chosen.append(run)
        offset += length
    return chosen or runs


def _cut_runs_at(paragraph: Any, visibility: Visibility, cut: int) -> None:
    """Split the shown run that holds character `cut` of the paragraph's text there."""
    offset = 0
    for run in _text_runs(paragraph, visibility):
        length = len(run_text(run))
        if offset < cut < offset + length:
            split_run(run, cut - offset)
            return
        offset += length


def _paragraph_for(paragraphs: list[Any], finding: Finding, visibility: Visibility) -> Any:
    location, evidence = finding.span.location, finding.span.text
    if location.footnote is not None:
        for element in paragraphs:
            for reference in element.iter(f"{_W}footnoteReference"):
                if reference.get(f"{_W}id") == location.footnote:
                    return element
        return None
    if location.anchor is not None and 0 <= location.anchor < len(paragraphs):
        element = paragraphs[location.anchor]
        table = next(element.iterancestors(f"{_W}tbl"), None)
        if table is not None and evidence:
            # A table row is one unit in the linter; comment the cell that holds the evidence.
            for cell_paragraph in table.iter(f"{_W}p"):
                text = " ".join(paragraph_text(cell_paragraph, visibility).split())
                if text and (evidence in text or text in evidence):
                    return cell_paragraph
        return element
    return None


def _title_paragraph(paragraphs: list[Any], visibility: Visibility) -> Any:
    """The first paragraph of the body with shown text (a text box floats beside the body)."""
    for element in paragraphs:
        if any(run_text(run).strip() for run in shown_runs(element, visibility)) \
                and next(element.iterancestors(f"{_W}txbxContent"), None) is None:
            return element
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


def _summary_text(result: LintResult, unplaced: list[Finding], left_out: list[str]) -> str:
    summary = result.summary()
    missing = [c.name.lower() for c in result.coverage.values() if c.status == "missing"]
    partial = [c.name.lower() for c in result.coverage.values() if c.status == "partial"]
    lines = [f"{summary['present']} av 12 delar finns"
             + (f"; delvis: {', '.join(partial)}" if partial else "")
             + (f"; saknas: {', '.join(missing)}" if missing else "") + "."]
    for finding in unplaced:
        evidence = finding.span.text if len(finding.span.text) <= 80 else finding.span.text[:79] + "…"
        where = f" ({place(finding.span.location)}: ”{evidence}”)" if evidence else ""
        lines.append(_headline(finding) + where + (f" {_clause_titles(finding)}." if finding.suggestions else ""))
    lines.append(f"Granskat av policygen: {summary['errors']} fel, {summary['warnings']} varningar, "
                 f"{summary['infos']} upplysningar.")
    if left_out:
        lines.append(LEFT_OUT_NOTE + ", ".join(left_out) + ".")
    return "\n".join(lines)
