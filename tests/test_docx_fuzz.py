"""Fuzzing that reaches the DOCX reader: the zip stays valid and only
word/document.xml (and the styles) is mutated, so each example gets past the
container checks, and a draft that still reads is linted and its result
checked (issue 14, "Done means": today most byte-flipped DOCX stop at the zip
check and never reach the XML)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docx_factory import p, write_docx
from policygen.errors import UserError
from policygen.lint.run import lint_files
from policygen.read.draft import read_document

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

BODY = (p("Policy för samverkan med sociala företag", style="Title")
        + p("Syfte", style="Heading1")
        + p("Kommunstyrelsen ansvarar för policyn och följer upp arbetet varje år.")
        + p("Kommunen samverkar med sociala företag genom idéburet offentligt partnerskap.", numbered=True)
        + p("Uppföljning", outline=0) + p("Näringslivsenheten rapporterar till kommunstyrelsen."))
STYLES = ('<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
          '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>')

XML_PIECES = ["<", ">", "</w:p>", "<w:p>", "<w:r>", "<w:t>", "&", "&amp;", '"', "w:val=\"٣\"", "\x00", "<!--",
              "<w:tbl>", "<w:tr><w:tc>", "<w:sdt><w:sdtContent>", '<w:footnoteReference w:id="٣"/>',
              '<w:pStyle w:val="Heading١"/>', "<w:moveFrom>", "<w:vanish/>", "å", "\u202e", " "]


def _valid(folder: Path) -> tuple[Path, str]:
    path = write_docx(folder / "giltig.docx", BODY, styles=STYLES)
    with zipfile.ZipFile(path) as archive:
        return path, archive.read("word/document.xml").decode("utf-8")


def _rezip(source: Path, target: Path, document_xml: str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = document_xml.encode("utf-8", "surrogatepass") if item.filename == "word/document.xml" \
                else old.read(item.filename)
            new.writestr(item.filename, data)
    return target


@FUZZ
@given(st.data())
def test_mutated_document_xml_reads_or_fails_cleanly(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    source, xml = _valid(folder)
    edits = data.draw(st.lists(st.tuples(st.integers(0, len(xml)), st.integers(0, 20), st.sampled_from(XML_PIECES)),
                               min_size=1, max_size=5))
    for position, cut, insert in edits:
        xml = xml[:position] + insert + xml[position + cut:]
    draft = _rezip(source, folder / "utkast.docx", xml)
    try:
        document = read_document(draft)
    except UserError as error:
        assert "utkast.docx" in str(error)
        return
    run = lint_files([draft], jobs=1, show_progress=False)
    assert len(run.results) + len(run.errors) == 1
    for _, message in run.errors:
        assert "internt fel" not in message, message
    if run.results:
        assert run.results[0].coverage and document is not None


def test_most_mutations_reach_the_xml_reader(tmp_path):
    """The fuzz above is worth running only if mutations get past the zip checks."""
    source, xml = _valid(tmp_path)
    reached = 0
    for index in range(40):
        position = (index * 97) % len(xml)
        mutated = _rezip(source, tmp_path / f"u{index}.docx", xml[:position] + "<w:p>" + xml[position + 3:])
        try:
            read_document(mutated)
            reached += 1
        except UserError as error:
            reached += "zip" not in str(error)
    assert reached >= 35
