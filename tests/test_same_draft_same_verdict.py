"""One draft, one verdict: the DOCX, the tool's own tagged PDF and an untagged
PDF printed from the DOCX give the same coverage and find the same kommun
(issue 22). The tagged PDF's running header is an artifact outside the
structure tree and the plan's title does not name the kommun, so the kommun
comes from the header as in the DOCX."""

from __future__ import annotations

import subprocess

import pytest
from pypdf import PdfReader

from conftest import require_libreoffice
from docx_factory import p, rewrite_parts, style, write_docx
from policygen.lint.engine import lint_document
from policygen.lint.run import lint_files
from policygen.model import DocumentBuilder
from policygen.read.draft import read_document
from policygen.read.pdf.reader import kommun_in_running_lines
from policygen.read.text import add_text


def _untagged_pdf(docx, folder):
    """The DOCX printed to PDF by LibreOffice with its default (untagged) export."""
    command = require_libreoffice()
    folder.mkdir()
    subprocess.run([command, "--headless", f"-env:UserInstallation=file://{folder}/profil", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx)], check=True, capture_output=True, timeout=180)
    pdf = folder / docx.with_suffix(".pdf").name
    assert "/StructTreeRoot" not in PdfReader(str(pdf)).trailer["/Root"]   # really untagged
    return pdf


@pytest.mark.parametrize("name, kommun", [("markaryd-handlingsplan", "Markaryds kommun"),
                                          ("ljungby-policy", "Ljungby kommun")])
def test_docx_tagged_and_untagged_pdf_agree(published, tmp_path, name, kommun):
    tagged = published[name]
    docx = tagged.with_suffix(".docx")
    untagged = _untagged_pdf(docx, tmp_path / "otaggad")
    results = lint_files([docx, tagged, untagged]).results
    kommuner = {(r.kommun, r.kommun_source) for r in results}
    assert kommuner == {(kommun, "sidhuvudet")}, kommuner
    verdicts = [{cid: c.status for cid, c in r.coverage.items()} for r in results]
    assert verdicts[1] == verdicts[0] and verdicts[2] == verdicts[0]
    assert [r.doc_type for r in results] == [results[0].doc_type] * 3


def test_a_kommun_in_the_file_properties_counts_when_nothing_else_names_one(tmp_path):
    body = p("Handlingsplan för arbetsintegrerande sociala företag", style="Title") \
        + p("Kommunen ska ge råd till sociala företag och följa upp planen varje år.")
    draft = write_docx(tmp_path / "plan.docx", body, style("Title", "Title"))
    rewrite_parts(draft, {"docProps/app.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                                             '2006/extended-properties"><Company>Bodens kommun</Company></Properties>'})
    assert read_document(draft).kommun_in_properties == "Bodens kommun"
    result = lint_files([draft]).results[0]
    assert (result.kommun, result.kommun_source) == ("Bodens kommun", "dokumentegenskaperna")
    # A kommun the draft names in its title wins over the properties.
    named = write_docx(tmp_path / "named.docx", p("Handlingsplan för sociala företag i Luleå kommun", style="Title")
                       + p("Kommunen ska ge råd till sociala företag."), style("Title", "Title"))
    rewrite_parts(named, {"docProps/app.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                                             '2006/extended-properties"><Company>Bodens kommun</Company></Properties>'})
    assert lint_files([named]).results[0].kommun == "Luleå kommun"


def test_the_running_header_of_a_printed_pdf_names_the_kommun():
    pages = ["Bodens kommun – Handlingsplan\nAktiviteter\nKommunen ska ge råd.\n1",
             "Bodens kommun – Handlingsplan\nUppföljning\nPlanen följs upp i Luleå kommun och Bodens kommun.\n2"]
    assert kommun_in_running_lines(pages) == "Bodens kommun"
    assert kommun_in_running_lines(["Luleå kommun\nEn sida utan sidhuvud.\n1"]) is None


def test_a_title_the_pdf_wrapped_onto_two_lines_is_one_heading():
    builder = DocumentBuilder("")
    lines = ["Riktlinjer för samverkan med sociala företag i Bodens", "kommun",
             "Kommunen ska ge råd till sociala företag.", "", "Uppföljning och", "utvärdering",
             "Planen följs upp varje år."]
    add_text(builder, "\n".join(lines), markdown=False,
             headings=frozenset({lines[0], lines[1], lines[4], lines[5]}))
    headings = [heading.text for heading in builder.document.headings()]
    assert headings == ["Riktlinjer för samverkan med sociala företag i Bodens kommun", "Uppföljning och utvärdering"]
    assert lint_document(builder.document).kommun == "Bodens kommun"
