"""SARIF 2.1.0 for code-review tools and dashboards: one run, every rule in
the driver, one result per finding with a physical location."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from policygen import __version__
from policygen.lint.catalog import RuleInfo
from policygen.lint.results import LintResult

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(file: str) -> str:
    path = Path(file)
    return path.resolve().as_uri() if path.is_absolute() else quote(path.as_posix())


def render_sarif(results: list[LintResult], errors: list[tuple[str, str]], catalog: list[RuleInfo]) -> dict:
    """`catalog` is every rule the run could report (the driver lists them all)."""
    index = {info.id: i for i, info in enumerate(catalog)}
    rules = []
    for info in catalog:
        help_text = f"{info.why} Källa: {info.source}" + (f" (kontrollerad {info.as_of})" if info.as_of else "")
        rule: dict[str, Any] = {
            "id": info.id, "name": info.name,
            "shortDescription": {"text": info.name},
            "fullDescription": {"text": info.message},
            "help": {"text": help_text},
            "defaultConfiguration": {"level": _LEVEL[info.severity]},
            "properties": {"category": info.category, "tags": [info.category]},
        }
        if info.coverage_id and info.severity_by_type:
            rule["properties"]["coverageId"] = info.coverage_id
            rule["properties"]["levelByDocumentType"] = {t: _LEVEL[s] for t, s in info.severity_by_type.items()}
        rules.append(rule)

    artifacts, sarif_results = [], []
    for artifact_index, result in enumerate(results):
        uri = _uri(result.file)
        artifacts.append({"location": {"uri": uri}, "properties": {
            "documentType": result.doc_type, "kommun": result.kommun,
            "coverage": {cid: c.status for cid, c in result.coverage.items()},
            "omittedFindings": dict(result.omitted)}})
        for finding in result.findings:
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact_index}}
            span = finding.span
            if span.location.line is not None:
                physical["region"] = {"startLine": span.location.line}
                if span.text:
                    physical["region"]["snippet"] = {"text": span.text}
            location: dict[str, Any] = {"physicalLocation": physical}
            if span.location.section:
                location["logicalLocations"] = [{"name": span.location.section, "kind": "section"}]
            text = finding.message + (f" Förslag: ”{finding.replacement}”." if finding.replacement else "")
            identity = f"{finding.rule}|{' '.join(span.text.split())}"
            sarif_results.append({
                "ruleId": finding.rule, "ruleIndex": index[finding.rule], "level": _LEVEL[finding.severity],
                "message": {"text": text}, "locations": [location],
                "partialFingerprints": {"policygen/regelOchBelagg/v1": hashlib.sha256(identity.encode()).hexdigest()},
                "properties": {"category": finding.category, "paragraph": span.location.paragraph + 1,
                               "page": span.location.page, "evidence": span.text,
                               "suggestedClauses": finding.suggested_clauses, "why": finding.why},
            })
    return {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "policygen", "version": __version__, "semanticVersion": __version__,
                                "language": "sv-SE", "rules": rules}},
            "language": "sv-SE", "columnKind": "unicodeCodePoints",
            "artifacts": artifacts, "results": sarif_results,
            "invocations": [{
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(name)}}}]}
                    for name, error in errors] + [
                    {"level": "note", "message": {"text": result.omitted_sentence()},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(result.file)}}}]}
                    for result in results if result.omitted],
            }],
        }],
    }
