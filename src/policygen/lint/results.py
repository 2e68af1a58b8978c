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
    omitted: dict[str, int] = field(default_factory=dict)   # rule → findings beyond the caps, not listed

    def omitted_sentence(self) -> str:
        """What the report says about findings beyond the caps ("" when none were left out)."""
        total = sum(self.omitted.values())
        if not total:
            return ""
        rules = ", ".join(f"{rule} {count}" for rule, count in sorted(self.omitted.items(), key=lambda i: -i[1])[:5])
        more = " …" if len(self.omitted) > 5 else ""
        return (f"{total} anmärkningar till visas inte ({rules}{more}); de liknar dem som visas. "
                "Rätta dem som visas och granska igen.")

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
            "summary": {**self.summary(), "accepted": self.accepted, "omitted": sum(self.omitted.values()),
                        "omitted_by_rule": dict(self.omitted)},
        }

    def at_or_above(self, severity: str) -> list[Finding]:
        limit = SEVERITIES.index(severity)
        return [f for f in self.findings if SEVERITIES.index(f.severity) <= limit]


# A draft full of findings (every paragraph with "skall") would give tens of
# thousands of them: hundreds of MB of report and Word comments that nobody
# reads. The first ones of each rule show the pattern; the report says how
# many more there were.
MAX_FINDINGS_PER_RULE = 50
MAX_FINDINGS = 500


def cap_findings(findings: list[Finding], per_rule: int = MAX_FINDINGS_PER_RULE,
                 total: int = MAX_FINDINGS) -> tuple[list[Finding], dict[str, int]]:
    """The findings within the caps (in their order) and, per rule, how many
    were left out. Each rule keeps its first ones; over the draft's cap the
    coverage findings and the more severe ones are kept first."""
    counts: dict[str, int] = {}
    within_rule: list[int] = []
    omitted: dict[str, int] = {}
    for index, finding in enumerate(findings):
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
        if counts[finding.rule] > per_rule:
            omitted[finding.rule] = omitted.get(finding.rule, 0) + 1
        else:
            within_rule.append(index)
    ranked = sorted(within_rule, key=lambda i: (findings[i].category != "täckning",
                                                SEVERITIES.index(findings[i].severity), i))
    for index in ranked[total:]:
        omitted[findings[index].rule] = omitted.get(findings[index].rule, 0) + 1
    return [findings[i] for i in sorted(ranked[:total])], omitted


def location_json(location: Location) -> dict:
    return {"section": location.section, "paragraph": location.paragraph, "page": location.page,
            "footnote": location.footnote}
