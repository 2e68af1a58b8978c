"""One self-contained HTML file: coverage table, findings, and each piece of
evidence highlighted in the paragraph it comes from."""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from policygen import __version__
from policygen.infra.resources import templates_dir
from policygen.lint.results import Finding, LintResult
from policygen.report.text import finding_place
from policygen.vocabulary import SEVERITY_NAMES, STATUS_NAMES

_CONTEXT = 160   # characters of context shown on each side of the evidence


def evidence_in_context(finding: Finding) -> dict:
    """The evidence and up to 160 characters on each side ('before', 'marked', 'after')."""
    span = finding.span
    context, start, end = finding.context, span.start, span.end
    if not context or not (0 <= start < end <= len(context)) or context[start:end] != span.text:
        context, start, end = span.text, 0, len(span.text)
    before = context[max(0, start - _CONTEXT):start]
    after = context[end:end + _CONTEXT]
    return {"before": ("…" if start > _CONTEXT else "") + before, "marked": context[start:end],
            "after": after + ("…" if end + _CONTEXT < len(context) else "")}


def render_html(results: list[LintResult], errors: Sequence[tuple[str, str]] = ()) -> str:
    environment = Environment(loader=FileSystemLoader(str(templates_dir() / "rapport")),
                              autoescape=select_autoescape(["html", "j2"], default=True),
                              undefined=StrictUndefined, keep_trailing_newline=True)
    views = []
    for result in results:
        coverage = [{"name": c.name, "status": STATUS_NAMES[c.status],
                     "evidence": c.evidence[0].text if c.evidence else ""} for c in result.coverage.values()]
        findings = [{**evidence_in_context(f), "rule": f.rule, "severity": f.severity,
                     "severity_name": SEVERITY_NAMES[f.severity], "category": f.category,
                     "place": finding_place(f), "message": f.message, "replacement": f.replacement,
                     "why": f.why,
                     "clauses": ", ".join(f"{s.title} ({s.id})" for s in f.suggestions)}
                    for f in result.findings]
        views.append({"file": result.file, "title": result.title, "doc_type": result.doc_type,
                      "doc_type_source": result.doc_type_source, "kommun": result.kommun,
                      "kommun_source": result.kommun_source, "summary": result.summary(),
                      "accepted": result.accepted, "coverage": coverage, "findings": findings})
    return environment.get_template("granskning.html.j2").render(results=views, errors=list(errors),
                                                                 version=__version__)
