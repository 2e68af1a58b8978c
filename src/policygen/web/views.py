"""Plain values for the templates: a lint result, and a document of the shared
model as HTML-ready blocks (headings, paragraphs with footnote numbers,
lists, tables, footnotes). Templates escape every text; nothing here is HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policygen.model import BulletList, Document, Heading, Paragraph, Table, Text
from policygen.render.docx.properties import DRAFT_MARK
from policygen.report.html import evidence_in_context
from policygen.report.text import finding_place
from policygen.vocabulary import SEVERITY_NAMES, STATUS_NAMES


@dataclass
class DocumentView:
    title: str
    draft: bool
    draft_mark: str
    metadata: list[tuple[str, str]]
    blocks: list[dict[str, Any]]
    footnotes: list[dict[str, Any]] = field(default_factory=list)


def document_view(document: Document, anchor: str = "dok") -> DocumentView:
    """The document as the preview shows it: the same blocks the DOCX has.
    `anchor` makes footnote ids unique when several documents share a page."""
    numbers: dict[str, int] = {}

    def runs(paragraph: Paragraph) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        for run in paragraph.runs:
            if isinstance(run, Text):
                parts.append({"text": run.text})
            else:
                number = numbers.setdefault(run.footnote_id, len(numbers) + 1)
                parts.append({"note": number, "id": f"{anchor}-fn{number}", "ref": f"{anchor}-ref{number}"})
        return parts

    blocks: list[dict[str, Any]] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.level == 0:
                continue  # the title is the preview's own heading
            blocks.append({"kind": "heading", "level": min(block.level + 3, 6), "text": block.text})
        elif isinstance(block, Paragraph):
            blocks.append({"kind": "paragraph", "runs": runs(block)})
        elif isinstance(block, BulletList):
            blocks.append({"kind": "list", "intro": runs(block.intro) if block.intro else None,
                           "entries": [runs(item) for item in block.items]})
        elif isinstance(block, Table):
            if block.kind == "metadata":
                continue  # shown from document.metadata
            blocks.append({"kind": "table", "header": list(block.header), "rows": [list(r) for r in block.rows]})
    footnotes = [{"number": number, "id": f"{anchor}-fn{number}", "ref": f"{anchor}-ref{number}",
                  "text": document.footnotes[note_id].text, "url": document.footnotes[note_id].url}
                 for note_id, number in numbers.items()]
    return DocumentView(document.title, document.draft, DRAFT_MARK,
                        [(m.label, m.value) for m in document.metadata], blocks, footnotes)


def review_view(review: Any) -> dict[str, Any]:
    result = review.result
    coverage = [{"name": c.name, "status": c.status, "status_name": STATUS_NAMES[c.status],
                 "evidence": c.evidence[0].text if c.evidence else "", "reason": c.reason}
                for c in result.coverage.values()]
    findings = []
    for index, finding in enumerate(result.findings, start=1):
        clauses = []
        for suggestion in finding.suggestions:
            rendered = review.clause_texts.get(suggestion.id)
            clauses.append({"id": suggestion.id, "title": suggestion.title,
                            "text": document_view(rendered, f"k{index}-{suggestion.id}") if rendered else None})
        findings.append({**(evidence_in_context(finding) if finding.span.text else {"marked": ""}),
                         "number": index, "rule": finding.rule, "severity": finding.severity,
                         "severity_name": SEVERITY_NAMES[finding.severity], "category": finding.category,
                         "place": finding_place(finding), "message": finding.message,
                         "why": finding.why, "replacement": finding.replacement, "clauses": clauses})
    return {"file": result.file, "title": result.title, "doc_type": result.doc_type,
            "doc_type_source": result.doc_type_source, "kommun": result.kommun,
            "kommun_source": result.kommun_source, "summary": result.summary(), "coverage": coverage,
            "findings": findings, "downloads": review.downloads}
