"""A generated document reads the same as DOCX and as PDF: tagged (PDF/UA, the
structure tree) and untagged (the page layout). Same coverage, and the PDF
adds no klarspråk or fact finding that the DOCX does not have."""

from __future__ import annotations

import subprocess

import pytest

from conftest import require_libreoffice
from policygen.lint.run import lint_files
from policygen.read.draft import read_document

STEMS = ["markaryd-policy-och-riktlinjer", "markaryd-handlingsplan", "ljungby-policy", "ljungby-verksamhetsplan"]


@pytest.fixture(scope="module")
def untagged(published, tmp_path_factory) -> dict[str, object]:
    """The same DOCX files exported by LibreOffice's plain PDF export (no tags)."""
    command = require_libreoffice()
    out = tmp_path_factory.mktemp("otaggad")
    profile = tmp_path_factory.mktemp("lo-profil")
    sources = [published[stem].with_suffix(".docx") for stem in STEMS]
    subprocess.run([command, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, sources)], check=True, capture_output=True, timeout=300)
    return {stem: out / f"{stem}.pdf" for stem in STEMS}


def _verdicts(path):
    result = lint_files([path]).results[0]
    coverage = {cid: c.status for cid, c in result.coverage.items()}
    texts = {(f.rule, f.span.text) for f in result.findings if f.category != "täckning"}
    return coverage, texts


@pytest.mark.parametrize("stem", STEMS)
def test_tagged_and_untagged_pdf_lint_like_the_docx(stem, published, untagged):
    docx_coverage, docx_findings = _verdicts(published[stem].with_suffix(".docx"))
    for pdf in (published[stem], untagged[stem]):
        coverage, findings = _verdicts(pdf)
        assert coverage == docx_coverage, pdf
        assert findings - docx_findings == set(), pdf


def test_a_tagged_pdf_is_read_from_its_structure_tree(published):
    document = read_document(published["ljungby-policy"])
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds[:2] == ["Heading", "Table"] and document.blocks[1].kind == "metadata"
    assert document.metadata_value("Diarienummer") == "KS 2026/0877"
    lists = [b for b in document.blocks if type(b).__name__ == "BulletList"]
    # "Ljungby kommun ska:" leads into the commitments, as in the DOCX.
    assert any(b.intro is not None and b.intro.text.endswith("ska:") for b in lists)
    # Footnotes are footnotes, and their marks are gone from the running text.
    assert document.footnotes and not any(t.endswith(".1") for t, _ in document.text_units())
    # Headers and footers are artifacts, outside the text.
    assert not any(t.startswith("Sida ") for t, _ in document.text_units())


def test_an_untagged_pdf_keeps_its_tables_and_headings(untagged):
    document = read_document(untagged["markaryd-handlingsplan"])
    activities = [t for t in document.tables() if "Aktivitet" in t.header]
    assert activities and len(activities[0].rows) >= 3
    assert "Aktiviteter" in [h.text for h in document.headings()]
    assert not any("Dnr" in t and "Version" in t for t, _ in document.text_units())
