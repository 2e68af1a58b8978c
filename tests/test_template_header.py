"""A kommun's Word template keeps its own header on top, and the diarienummer
is fitted in beside it: on the logo's line at the right margin (the
document's name below it), or with the name in the last cell of a header
table."""

from __future__ import annotations

import io

import docx
from docx.shared import Cm

from conftest import EXAMPLES
from policygen.generate.run import generate
from policygen.profile.load import load_profile
from template_factory import logo_png, municipal_template

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _has_picture(paragraph) -> bool:
    return paragraph._p.find(f".//{_W}drawing") is not None


def test_the_diarienummer_stands_beside_the_logo_not_below_it(tmp_path):
    template = municipal_template(tmp_path / "mall.docx")
    files = generate(load_profile(EXAMPLES / "ljungby.yaml"), tmp_path / "ut", reference_docx=template)
    word = docx.Document(str(files[0].path))
    for header in (word.sections[0].header, word.sections[0].first_page_header):
        logo = header.paragraphs[0]
        assert _has_picture(logo)
        assert logo.text == "\tDnr KS 2026/0877 · Version 1.0"
        assert not any("Dnr" in p.text for p in header.paragraphs[1:])
        # The document's name has the whole width on the line below, right-aligned.
        assert header.paragraphs[-1].text == "Ljungby kommun – Policy för sociala företag"
        # The line ends at the right margin: a right tab stop at the text width, the style's stops cleared.
        tabs = logo._p.findall(f"{_W}pPr/{_W}tabs/{_W}tab")
        right = [t for t in tabs if t.get(f"{_W}val") == "right"]
        section = word.sections[0]
        width_twips = round((section.page_width - section.left_margin - section.right_margin) / 635)
        assert right and abs(int(right[-1].get(f"{_W}pos")) - width_twips) <= 1
    # The template's own first-page text is still there, under the logo.
    assert word.sections[0].first_page_header.paragraphs[1].text == "Logotyp och adress på första sidan"


def test_a_header_table_gets_the_line_in_its_last_cell(tmp_path):
    word = docx.Document()
    header = word.sections[0].header
    header._element.remove(header.paragraphs[0]._element)
    table = header.add_table(1, 2, Cm(16))
    table.cell(0, 0).paragraphs[0].add_run().add_picture(io.BytesIO(logo_png()), width=Cm(2))
    buffer = io.BytesIO()
    word.save(buffer)
    template = tmp_path / "tabellmall.docx"
    template.write_bytes(buffer.getvalue())
    files = generate(load_profile(EXAMPLES / "ljungby.yaml"), tmp_path / "ut", reference_docx=template)
    result = docx.Document(str(files[0].path)).sections[0].header
    cell_text = "\n".join(p.text for p in result.tables[0].cell(0, 1).paragraphs)
    assert "Ljungby kommun – Policy för sociala företag" in cell_text and "Dnr KS 2026/0877" in cell_text
    assert _has_picture(result.tables[0].cell(0, 0).paragraphs[0])
    assert not any("Dnr" in p.text for p in result.paragraphs)


def test_without_a_template_the_line_is_as_before(tmp_path):
    files = generate(load_profile(EXAMPLES / "ljungby.yaml"), tmp_path / "ut")
    header = docx.Document(str(files[0].path)).sections[0].header
    assert header.paragraphs[1].text.startswith("Dnr KS 2026/0877")
