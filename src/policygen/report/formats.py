"""One way to turn a lint run into a report: a format name → the report's text.
The command line and the web page both call `render_report`, so a report
looks the same wherever it was made, configuration notice included."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence

from policygen.infra.terminal import json_visible, visible
from policygen.lint.catalog import RuleInfo
from policygen.lint.results import LintResult
from policygen.report.config_notice import ConfigNotice
from policygen.report.html import render_html
from policygen.report.sarif import render_sarif
from policygen.report.text import render_text
from policygen.vocabulary import REPORT_FORMATS

MEDIA_TYPES = {"text": "text/plain", "json": "application/json", "sarif": "application/sarif+json",
               "html": "text/html"}


def render_report(fmt: str, results: Sequence[LintResult], errors: Sequence[tuple[str, str]],
                  rules: list[RuleInfo], notice: ConfigNotice | None = None, single: bool = False) -> str:
    """The report in `fmt` (text, json, sarif or html). `errors` are drafts
    that could not be read, as (name, Swedish message); `single` gives one
    JSON object instead of a list when one draft was asked for. Text from the
    drafts is made harmless for a terminal (shown, never obeyed)."""
    if fmt == "json":
        payload = [r.to_json() for r in results] + [{"file": name, "error": error} for name, error in errors]
        if notice is not None:
            for entry in payload:
                entry["config"] = notice.to_json()
        return json_visible(json.dumps(payload[0] if single and payload else payload, ensure_ascii=False,
                                       indent=2))
    if fmt == "sarif":
        sarif = render_sarif(list(results), list(errors), rules)
        if notice is not None:
            for sarif_run in sarif.get("runs", []):
                sarif_run.setdefault("properties", {})["policygenConfig"] = notice.to_json()
        return json_visible(json.dumps(sarif, ensure_ascii=False, indent=2))
    if fmt == "html":
        report = render_html(list(results), errors)
        if notice is not None:
            banner = f'<p class="config-notice"><strong>{html.escape(notice.sentence())}</strong></p>'
            report = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, report, count=1)
        return report
    if fmt == "text":
        return visible("\n\n".join(([notice.sentence()] if notice is not None else []) +
                                   [render_text(r) for r in results] +
                                   [f"Kunde inte granskas: {error}" for _, error in errors]))
    raise ValueError(f"unknown report format {fmt!r}; one of {REPORT_FORMATS}")
