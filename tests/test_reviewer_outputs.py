"""What reviewers take away: the commented DOCX copy, SARIF, HTML, and the
configuration that shapes a review."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

import pytest
from lxml import etree

from conftest import SHARED
from docx_factory import W_NS, p, style, table, write_docx

W = f"{{{W_NS}}}"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"

DRAFT_BODY = (
    p("Policy för sociala företag i Sollefteå kommun", style="Title")
    + p("Syfte", style="Heading1")
    + '<w:p><w:r><w:t xml:space="preserve">Syftet med policyn är att kommunen </w:t></w:r>'
      '<w:r><w:rPr><w:b/></w:rPr><w:t>skall</w:t></w:r>'
      '<w:r><w:t xml:space="preserve"> stödja sociala företag.</w:t></w:r></w:p>'
    + p("Markaryds kommun ska ge råd till nya företag.")
    + p("Ansvar", style="Heading1")
    + table([["Aktivitet", "Ansvarig"], ["Informationsträff samt rådgivning", "Näringslivsenheten"]])
    + p("Antagen av kommunfullmäktige xxxx-xx-xx.")
)
DRAFT_STYLES = style("Title", "Title") + style("Heading1", "heading 1")


@pytest.fixture
def draft(tmp_path):
    return write_docx(tmp_path / "utkast.docx", DRAFT_BODY, DRAFT_STYLES)


def _comments(path):
    with zipfile.ZipFile(path) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
        body = etree.fromstring(archive.read("word/document.xml"))
    texts = {c.get(f"{W}id"): "\n".join("".join(t.text or "" for t in q.iter(f"{W}t")) for q in c.iter(f"{W}p"))
             for c in comments.iter(f"{W}comment")}
    authors = {c.get(f"{W}author") for c in comments.iter(f"{W}comment")}
    anchored = {}
    for paragraph in body.iter(f"{W}p"):
        inside, text = set(), {}
        for node in paragraph.iter():
            if node.tag == f"{W}commentRangeStart":
                inside.add(node.get(f"{W}id"))
            elif node.tag == f"{W}commentRangeEnd":
                inside.discard(node.get(f"{W}id"))
            elif node.tag == f"{W}t":
                for cid in inside:
                    text[cid] = text.get(cid, "") + (node.text or "")
        anchored.update(text)
    return texts, anchored, authors


def test_annotated_copy_has_a_comment_per_finding_on_its_evidence(cli, draft, tmp_path):
    before = hashlib.sha256(draft.read_bytes()).hexdigest()
    target = tmp_path / "utkast-granskad.docx"
    code, _, err = cli("lint", draft, "--annotate", target, "--min-severity", "info")
    assert code == 1 and "kommentarer" in err
    assert hashlib.sha256(draft.read_bytes()).hexdigest() == before  # the original is untouched
    texts, anchored, authors = _comments(target)
    assert authors == {"policygen"}
    by_rule = {re.search(r"\((\w+)\)", text).group(1): cid for cid, text in texts.items()
               if re.match(r"\w+ \(\w+\):", text)}
    # The bold run "skall" carries the KS01 comment – the run, not the whole paragraph.
    assert anchored[by_rule["KS01"]] == "skall"
    assert "Förslag: ”ska”" in texts[by_rule["KS01"]]
    assert anchored[by_rule["FA04"]] == "Markaryds kommun ska"
    assert "Sollefteå kommun" in texts[by_rule["FA04"]]
    assert anchored[by_rule["KS06"]] == "samt"  # the word, in its table cell
    assert anchored[by_rule["FA03"]] == "xxxx-xx-xx"
    # One comment on the title sums up the coverage and names the missing parts and clauses.
    summary_id = next(cid for cid, text in texts.items() if "av 12 delar finns" in text)
    assert anchored[summary_id] == "Policy för sociala företag i Sollefteå kommun"
    assert "saknas:" in texts[summary_id] and "uppföljning" in texts[summary_id]
    assert "Klausuler som täcker delen:" in texts[summary_id]


def test_annotated_copy_keeps_tables_and_refuses_to_overwrite(cli, draft, tmp_path):
    target = tmp_path / "granskad.docx"
    cli("lint", draft, "--annotate", target)
    with zipfile.ZipFile(target) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert body.count("<w:tbl>") == 1 and "Näringslivsenheten" in body
    code, _, err = cli("lint", draft, "--annotate", target)
    assert code == 2 and "finns redan" in err
    code, _, err = cli("lint", draft, "--annotate", draft)
    assert code == 2 and "samma fil" in err


def test_annotate_needs_a_docx(cli, tmp_path):
    text = tmp_path / "utkast.txt"
    text.write_text("Policy\n\nKommunen skall stödja företag.\n", encoding="utf-8")
    code, _, err = cli("lint", text, "--annotate", tmp_path / "ut.docx")
    assert code == 2 and ".docx" in err


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason="../shared/schemas finns inte här")
def test_sarif_validates_against_the_oasis_schema(cli, draft, tmp_path):
    import jsonschema

    text = tmp_path / "plan med mellanslag.md"
    text.write_text("# Handlingsplan\n\nKommunen skall följa upp.\n", encoding="utf-8")
    code, out, _ = cli("lint", draft, text, "--format", "sarif")
    sarif = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema, cls=jsonschema.Draft4Validator)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "policygen"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {"SKR07", "KS01", "FA04"} <= set(rule_ids)
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
    text_results = [r for r in run["results"] if r["ruleId"] == "KS01"
                    and "mellanslag" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]]
    assert text_results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_html_report_is_self_contained_and_highlights_evidence(cli, draft, tmp_path):
    target = tmp_path / "rapport.html"
    code, out, _ = cli("lint", draft, "--format", "html", "-o", target, "--min-severity", "info")
    html = target.read_text(encoding="utf-8")
    assert out == "" and html.startswith("<!DOCTYPE html>")
    assert "<mark>skall</mark>" in html and "<mark>Markaryds kommun ska</mark>" in html
    assert "Uppföljning" in html and "saknas" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<script" not in html and "@import" not in html


def test_html_escapes_the_drafts_text(tmp_path):
    from policygen.lint.engine import lint_document
    from policygen.read.text import parse_text
    from policygen.report.html import render_html

    document = parse_text("# Policy\n\n<script>alert(1)</script> Kommunen skall stödja.\n", source="x.md")
    html = render_html([lint_document(document, "policy")])
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


CONFIG = """regler:
  av: [klarspråk, FA05]
  på: [KS01]
  nivå:
    FA04: warning
gränser:
  meningslängd: 20
accepterade:
  - regel: FA03
    text: xxxx-xx-xx
    kommentar: datumet fylls i av nämndsekreteraren
"""


def test_configuration_selects_rules_severities_and_accepted_findings(cli, draft, tmp_path, monkeypatch):
    config = tmp_path / "policygen.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    code, out, _ = cli("lint", draft, "--format", "json", "--config", config, "--min-severity", "info")
    data = json.loads(out)
    rules = {f["rule"] for f in data["findings"]}
    assert "KS01" in rules and "KS06" not in rules and "KS09" not in rules and "FA03" not in rules
    assert next(f for f in data["findings"] if f["rule"] == "FA04")["severity"] == "warning"
    assert data["summary"]["accepted"] == 1
    # Found in the working folder without --config.
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("lint", draft, "--format", "json", "--min-severity", "info")
    assert "FA03" not in {f["rule"] for f in json.loads(out)["findings"]}


@pytest.mark.parametrize("text, expected", [
    ("regler:\n  av: [KS99]\n", ("okänd regel eller kategori: 'KS99'", 2)),
    ("regler:\n  nivå:\n    KS01: allvarlig\n", ("allvarlig", 3)),
    ("gränser:\n  meningslängd: kort\n", ("meningslängd", 2)),
    ("accepterade:\n  - regel: FA03\n", ("text", 2)),
    ("regler: [\n", ("YAML-syntaxfel", None)),
])
def test_invalid_configuration_is_reported_with_its_line(cli, draft, tmp_path, text, expected):
    config = tmp_path / "policygen.yaml"
    config.write_text(text, encoding="utf-8")
    code, _, err = cli("lint", draft, "--config", config)
    message, line = expected
    assert code == 2 and message in err and "policygen.yaml" in err
    if line is not None:
        assert f"rad {line}" in err or f":{line}" in err
