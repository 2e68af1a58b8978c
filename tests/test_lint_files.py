"""Linting real files: the generator round trip, the seed documents, the JSON
contract, exit codes and every kind of bad input."""

import json
import zipfile
from dataclasses import replace

import pytest

from conftest import EXAMPLES, SHARED
from pdf_factory import write_pdf
from policygen.generate.assemble import assemble
from policygen.lint.run import lint_files
from policygen.model import Heading
from policygen.profile.load import load_profile
from policygen.render.docx.writer import render_docx
from policygen.vocabulary import COVERAGE_IDS


def test_every_generated_document_lints_without_coverage_errors(generated):
    results = lint_files(list(generated.values())).results
    for result in results:
        assert result.at_or_above("error") == [], (result.file, [f.rule for f in result.findings])
    doc_types = {r.file.rsplit("/", 1)[-1]: r.doc_type for r in results}
    assert doc_types["ljungby-verksamhetsplan.docx"] == "handlingsplan"
    assert doc_types["markaryd-policy-och-riktlinjer.docx"] == "policy"


def _without_section(document, heading_text):
    blocks, skipping = [], False
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            skipping = block.text == heading_text
        if not skipping:
            blocks.append(block)
    return replace(document, blocks=blocks)


def test_deleting_the_follow_up_section_gives_exactly_the_uppfoljning_finding(tmp_path):
    document = assemble(load_profile(EXAMPLES / "ljungby.yaml"), "verksamhetsplan")
    path = tmp_path / "utan-uppfoljning.docx"
    path.write_bytes(render_docx(_without_section(document, "Uppföljning")))
    result = lint_files([path]).results[0]
    coverage = [f for f in result.findings if f.category == "täckning"]
    assert [(f.rule, f.coverage_id) for f in coverage] == [("SKR07", "uppfoljning")]
    assert "uppfoljning" in coverage[0].suggested_clauses
    assert result.coverage["uppfoljning"].status != "present"


def test_json_contract(cli, generated):
    code, out, _ = cli("lint", generated["markaryd-handlingsplan"], "--format", "json")
    data = json.loads(out)
    assert set(data) == {"file", "doc_type", "doc_type_source", "kommun", "kommun_source", "on_topic", "coverage",
                         "findings", "summary"}
    assert data["on_topic"] is True
    assert data["kommun"] == "Markaryds kommun" and data["kommun_source"] == "sidhuvudet"
    assert data["doc_type"] == "handlingsplan" and data["doc_type_source"] == "detected"
    assert list(data["coverage"]) == list(COVERAGE_IDS)
    for entry in data["coverage"].values():
        assert entry["status"] in ("present", "partial", "missing") and "reason" in entry and entry["name"]
        for evidence in entry["evidence"]:
            assert set(evidence["location"]) == {"section", "paragraph", "page", "footnote"}
    for finding in data["findings"]:
        assert set(finding["location"]) == {"section", "paragraph", "page", "footnote", "start", "end"}
        assert finding["severity"] in ("error", "warning", "info")
    assert data["summary"]["present"] + data["summary"]["partial"] + data["summary"]["missing"] == 12


def test_folder_gives_a_list_and_doc_type_can_be_given(cli, generated, tmp_path):
    folder = next(iter(generated.values())).parent
    code, out, _ = cli("lint", folder, "--format", "json", "--doc-type", "riktlinje")
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == len(generated)
    assert {d["doc_type"] for d in data} == {"riktlinje"} and {d["doc_type_source"] for d in data} == {"given"}


def test_exit_codes_follow_min_severity(cli, tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy för sociala företag\n\nSyftet är att stödja sociala företag.\n"
                     "Arbetsmarknadsenheten ansvarar för arbetet och kommunstyrelsen har ansvaret.\n"
                     "Kommunen ställer sociala hänsyn i upphandlingar.\n"
                     "Socialförvaltningen följer upp arbetet varje år.\n", encoding="utf-8")
    code, out, _ = cli("lint", draft)
    assert code == 0 and "Dokumenttyp: policy" in out
    code, out, _ = cli("lint", draft, "--min-severity", "warning")
    assert code == 1 and "[varning]" in out
    code, _, _ = cli("lint", draft, "--doc-type", "handlingsplan")
    assert code == 1


def test_rules_list(cli):
    code, out, _ = cli("rules", "list")
    assert code == 0
    # The twelve parts and the off-topic check (SKR00).
    assert len([row for row in out.splitlines() if row.startswith("SKR")]) == 13
    assert len([row for row in out.splitlines() if row.startswith("KS")]) == 9
    assert len([row for row in out.splitlines() if row.startswith("FA")]) == 26   # FA01–FA26


def test_docs_rules_reference_is_generated_from_the_rule_files():
    from conftest import ROOT
    from policygen.lint.catalog import rule_catalog
    from policygen.report.rules_reference import rules_markdown
    assert (ROOT / "docs" / "regler.md").read_text(encoding="utf-8") == rules_markdown(rule_catalog()) + "\n"


# -- bad input -------------------------------------------------------------------

def _lint_error(cli, path):
    code, out, err = cli("lint", path)
    assert code == 2, (out, err)
    assert str(path.name) in err and "Traceback" not in err
    return err


def test_missing_file(cli, tmp_path):
    assert "finns inte" in _lint_error(cli, tmp_path / "borta.docx")


@pytest.mark.parametrize("name, content, expected", [
    ("tom.docx", b"", "tom"),
    ("fel.docx", "det här är ingen docx".encode(), "inte ett zip-arkiv"),
    # An OLE container, as Word stores an encrypted document.
    ("hemlig.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "lösenordsskyddat"),
    ("trasig.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF",
     "PDF"),
    ("utkast.odt", b"x", "stöds inte"),
])
def test_unreadable_files(cli, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _lint_error(cli, path)


def test_pdf_without_a_text_layer(cli, tmp_path):
    path = write_pdf(tmp_path / "skannad.pdf", [[]])
    assert "ingen textlager – skannad PDF stöds inte" in _lint_error(cli, path)


def test_file_over_the_size_limit(cli, tmp_path):
    path = tmp_path / "stor.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: no real disk use
    assert "för stor" in _lint_error(cli, path)


def test_zip_bomb_docx(cli, tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/pad.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(400):
                member.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    assert "orimligt mycket" in _lint_error(cli, path)


# -- the seed documents ------------------------------------------------------------

SEEDS = SHARED / "seeds" / "000_24bad8ecfb3d085d.txt"


def _seed_cut(tmp_path, source, first, last, name):
    lines = source.read_text(encoding="utf-8").splitlines()[first - 1:last]
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds finns inte här")
def test_seed_documents_get_a_careful_reviewers_verdict(tmp_path):
    markaryd = _seed_cut(tmp_path, SEEDS, 529, 723, "markaryd-bilaga1.txt")
    verksamhetsplan = _seed_cut(tmp_path, SEEDS, 724, 938, "ljungby-verksamhetsplan.txt")
    policy = SHARED / "seeds" / "002_1389de3812def2c1.txt"
    m, v = lint_files([markaryd], "policy").results[0], lint_files([verksamhetsplan], "handlingsplan").results[0]
    p = lint_files([policy], "policy").results[0]
    def status(r):
        return {cid: c.status for cid, c in r.coverage.items()}
    # Markaryd: a good policy, but no follow-up, no action plan and no standing forum;
    # it wants the nämnder to work together and good cooperation outside, without saying how.
    assert status(m)["uppfoljning"] == "missing" and status(m)["handlingsplan"] == "missing"
    assert status(m)["upphandling"] == "present" and status(m)["definition"] == "present"
    assert status(m)["ansvarig-funktion"] == "present"
    assert status(m)["extern-samverkan"] == "partial" and status(m)["intern-samordning"] == "partial"
    # Ljungby's verksamhetsplan names who follows up and how often, and who is responsible.
    assert status(v)["uppfoljning"] == "present"
    assert status(v)["politisk-placering"] == "present" and status(v)["ansvarig-funktion"] == "present"
    assert status(v)["upphandling"] == "present" and status(v)["iop"] == "present"
    # It quotes the government's definition, but only promises to create a form of
    # external collaboration; its footnotes are sources, never evidence.
    assert "definition" in v.coverage["definition"].evidence[0].text.lower()
    assert status(v)["extern-samverkan"] == "partial"
    # The verksamhetsplan cites the old LUF as LOU, an old direct-award amount and an unfilled date.
    facts = {(f.rule, f.span.text) for f in v.findings if f.category == "fakta"}
    assert {("FA01", "LOU 2007:1092"), ("FA02", "615 312 kr"), ("FA03", "xxxx-xx-xx")} <= facts
    assert v.kommun == "Ljungby kommun" and not any(f.rule == "FA04" for f in v.findings)
    evidence = [h.text for r in (m, v, p) for c in r.coverage.values() for h in c.evidence]
    assert not any(text.startswith(("http", "Regeringens arbetsgrupp")) for text in evidence)
    # The short Ljungby policy: commitments only – no owner, no follow-up.
    assert status(p)["uppfoljning"] == "missing" and status(p)["politisk-placering"] == "missing"
    assert status(p)["syfte"] == "present" and status(p)["upphandling"] == "present"
