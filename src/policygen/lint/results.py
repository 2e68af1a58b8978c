"""What a lint produces: per draft the coverage of the twelve parts and the
findings, each with the display names the reports need, so a report is a
pure function of these values and never reloads rules or clauses."""

from __future__ import annotations

from dataclasses import dataclass, field

from policygen.lint.coverage.judge import Coverage
from policygen.model import Location, Span
from policygen.vocabulary import SEVERITIES


@dataclass(frozen=True)
class ClauseSuggestion:
    id: str
    title: str


@dataclass
class Finding:
    rule: str
    coverage_id: str | None          # None for klarspråk and fact rules
    severity: str
    message: str
    why: str
    span: Span                       # the evidence; empty text when the finding is about something absent
    suggestions: tuple[ClauseSuggestion, ...] = ()
    category: str = "täckning"
    replacement: str | None = None   # proposed text for the evidence, where there is one
    context: str = ""                # the whole paragraph the evidence is in
    fact: str | None = None          # the fact registry entry a fact finding rests on

    @property
    def suggested_clauses(self) -> list[str]:
        return [s.id for s in self.suggestions]

    def to_json(self) -> dict:
        return {"rule": self.rule, "category": self.category, "coverage_id": self.coverage_id,
                "severity": self.severity, "message": self.message, "why": self.why,
                "location": {**location_json(self.span.location), "start": self.span.start, "end": self.span.end},
                "evidence": self.span.text, "replacement": self.replacement,
                "suggested_clauses": self.suggested_clauses, "fact": self.fact}


@dataclass
class LintResult:
    file: str
    doc_type: str
    doc_type_source: str
    title: str
    coverage: dict[str, Coverage]
    findings: list[Finding] = field(default_factory=list)
    kommun: str | None = None        # official name of the draft's own kommun, if known
    kommun_source: str = "okänd"
    accepted: int = 0                # findings left out because the configuration accepts them
    on_topic: bool = True

    def summary(self) -> dict[str, int]:
        statuses = [c.status for c in self.coverage.values()]
        return {"present": statuses.count("present"), "partial": statuses.count("partial"),
                "missing": statuses.count("missing"),
                "errors": sum(f.severity == "error" for f in self.findings),
                "warnings": sum(f.severity == "warning" for f in self.findings),
                "infos": sum(f.severity == "info" for f in self.findings)}

    def to_json(self) -> dict:
        return {
            "file": self.file, "doc_type": self.doc_type, "doc_type_source": self.doc_type_source,
            "kommun": self.kommun, "kommun_source": self.kommun_source, "on_topic": self.on_topic,
            "coverage": {cid: {"status": c.status, "name": c.name,
                               "evidence": [{"text": h.text, "location": location_json(h.location)}
                                            for h in c.evidence],
                               "reason": c.reason} for cid, c in self.coverage.items()},
            "findings": [f.to_json() for f in self.findings],
            "summary": {**self.summary(), "accepted": self.accepted},
        }

    def at_or_above(self, severity: str) -> list[Finding]:
        limit = SEVERITIES.index(severity)
        return [f for f in self.findings if SEVERITIES.index(f.severity) <= limit]


def location_json(location: Location) -> dict:
    return {"section": location.section, "paragraph": location.paragraph, "page": location.page,
            "footnote": location.footnote}
