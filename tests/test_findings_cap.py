"""Issue 24: findings are capped per rule and per draft, with the report
saying how many more there were; the CLI takes the caps as options, and two
outputs to one path are refused before anything is written."""

from __future__ import annotations

import json

from policygen import cli
from policygen.lint import results
from policygen.lint.config import LintConfig
from policygen.lint.engine import lint_documents
from policygen.read.draft import read_document


def _flood(path, paragraphs: int):
    lines = ["# Policy för samverkan med sociala företag i Ljungby kommun", ""]
    lines += [f"Kommunen skall pröva fråga nummer {n} i samråd med företagen.\n" for n in range(paragraphs)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_defaults_in_the_cli_are_the_linters_own():
    assert (cli.MAX_FINDINGS_PER_RULE, cli.MAX_FINDINGS) == (results.MAX_FINDINGS_PER_RULE, results.MAX_FINDINGS)


def test_a_flood_of_findings_is_capped_and_the_rest_counted(tmp_path):
    document = read_document(_flood(tmp_path / "flod.md", 400))
    result = lint_documents([document], config=LintConfig(max_findings_per_rule=20, max_findings=60))[0]
    by_rule: dict[str, int] = {}
    for finding in result.findings:
        by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
    assert max(by_rule.values()) <= 20 and len(result.findings) <= 60
    assert result.omitted.get("KS01", 0) >= 380
    assert "anmärkningar till visas inte" in result.omitted_sentence()
    assert result.to_json()["summary"]["omitted"] == sum(result.omitted.values())


def test_coverage_findings_are_kept_over_the_draft_cap(tmp_path):
    document = read_document(_flood(tmp_path / "flod.md", 100))
    result = lint_documents([document], config=LintConfig(max_findings_per_rule=100, max_findings=5))[0]
    assert len(result.findings) == 5
    assert all(f.category == "täckning" for f in result.findings)


def test_the_cli_caps_and_reports_how_many_more(tmp_path, capsys):
    draft = _flood(tmp_path / "flod.md", 60)
    code = cli.main(["lint", str(draft), "--no-config", "--max-per-regel", "3", "--format", "json",
                     "-o", str(tmp_path / "r.json")])
    assert code in (0, 1)
    text = json.dumps(json.loads((tmp_path / "r.json").read_text(encoding="utf-8")), ensure_ascii=False)
    assert '"omitted_by_rule": {"KS01": 57' in text
    cli.main(["lint", str(draft), "--no-config", "--max-per-regel", "3"])
    assert "57 anmärkningar till visas inte (KS01 57)" in capsys.readouterr().out


def test_one_path_for_report_and_commented_copy_is_refused_before_writing(tmp_path, capsys):
    from docx_factory import p, write_docx

    draft = tmp_path / "in.docx"
    write_docx(draft, p("Policy för samverkan") + p("Kommunen skall samverka med sociala företag."))
    same = tmp_path / "same.docx"
    code = cli.main(["lint", str(draft), "--annotate", str(same), "-o", str(same), "--force"])
    assert code == 2
    assert "samma sökväg" in capsys.readouterr().err
    assert not same.exists()
    code = cli.main(["lint", str(draft), "--annotate", str(same), "-o", str(tmp_path / "sub" / ".." / "same.docx")])
    assert code == 2 and not same.exists()
