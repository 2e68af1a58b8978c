"""A metadata label and its value belong together even when a manual line
break or a table cell separates them, and a label left without a value is a
placeholder (issue 22)."""

from __future__ import annotations

import pytest

from docx_factory import p, para, r, table, write_docx
from policygen.lint.engine import lint_document
from policygen.model import MetadataField
from policygen.read.draft import read_document
from policygen.read.structure import metadata_rows

LINE_BREAK = "<w:r><w:br/></w:r>"
TITLE = p("Riktlinje för kommunens stöd till sociala företag", style="Title")
BODY_TEXT = p("Kommunstyrelsen ansvarar för att riktlinjen följs och att sociala företag får råd.")


def _placeholders(document) -> list[str]:
    return [f.span.text for f in lint_document(document, "riktlinje", kommun="Boden").findings if f.rule == "FA03"]


def test_a_line_break_separates_two_fields_of_one_paragraph(tmp_path):
    body = TITLE + para(r("Beslutad av: Kommunfullmäktige"), LINE_BREAK, r("Datum: 2024-03-18")) + BODY_TEXT
    document = read_document(write_docx(tmp_path / "radbrytning.docx", body))
    assert document.metadata == (MetadataField("Beslutad av", "Kommunfullmäktige"), MetadataField("Datum", "2024-03-18"))
    assert _placeholders(document) == []


def test_a_value_on_the_line_after_its_label_belongs_to_it(tmp_path):
    body = TITLE + para(r("Diarienummer:"), LINE_BREAK, r("KS 2023/205"), LINE_BREAK, r("Ansvarig: Näringslivschefen")) \
        + BODY_TEXT
    document = read_document(write_docx(tmp_path / "under.docx", body))
    assert document.metadata == (MetadataField("Diarienummer", "KS 2023/205"), MetadataField("Ansvarig", "Näringslivschefen"))
    assert _placeholders(document) == []


def test_a_sentence_with_a_line_break_stays_running_text(tmp_path):
    body = TITLE + para(r("Kommunen ska ge råd till sociala företag."), LINE_BREAK, r("Rådgivningen är kostnadsfri."))
    document = read_document(write_docx(tmp_path / "mening.docx", body))
    assert document.metadata == ()
    assert "Kommunen ska ge råd till sociala företag. Rådgivningen är kostnadsfri." in [t for t, _ in document.text_units()]


@pytest.mark.parametrize("rows, expected", [
    ([["Antagen av:", "Kommunstyrelsen", "Dnr:", "KS 2022/9"]],
     [("Antagen av:", "Kommunstyrelsen"), ("Dnr:", "KS 2022/9")]),
    ([["Beslutad av", "Beslutsdatum"], ["Kommunfullmäktige", "2023-11-27"]],
     [("Beslutad av", "Kommunfullmäktige"), ("Beslutsdatum", "2023-11-27")]),
    ([["Gäller som längst till:", ""], ["Beslutsdatum:", "2023-11-27"]],
     [("Gäller som längst till:", ""), ("Beslutsdatum:", "2023-11-27")]),
])
def test_a_label_and_its_value_in_separate_cells(rows, expected):
    assert metadata_rows(rows) == expected


def test_an_ordinary_table_is_not_metadata():
    assert metadata_rows([["Aktivitet", "Ansvarig", "Klart", "Kostnad"], ["Öppna rådgivning", "Näringsliv", "2025", "0"]]) \
        is None


def test_cells_in_a_word_table_give_the_fields(tmp_path):
    body = TITLE + table([["Fastställd av:", "Kommunfullmäktige", "Dnr:", "KS 2024/77"]]) + BODY_TEXT
    document = read_document(write_docx(tmp_path / "celler.docx", body))
    assert document.metadata == (MetadataField("Fastställd av:", "Kommunfullmäktige"), MetadataField("Dnr:", "KS 2024/77"))
    assert _placeholders(document) == []


@pytest.mark.parametrize("label", ["Gäller som längst till", "Giltighetstid", "Fastställt av", "Nästa revidering"])
def test_an_empty_value_is_a_placeholder_on_a_line_in_a_cell_and_after_a_break(tmp_path, label):
    line = TITLE + p(f"{label}:") + BODY_TEXT
    cell = TITLE + table([[f"{label}:", ""], ["Beslutsdatum:", "2023-11-27"]]) + BODY_TEXT
    broken = TITLE + para(r("Dnr: KS 2023/12"), LINE_BREAK, r(f"{label}:")) + BODY_TEXT
    for name, body in (("rad", line), ("cell", cell), ("bruten", broken)):
        document = read_document(write_docx(tmp_path / f"{name}.docx", body))
        # The evidence is the label (with its colon where the reader kept it).
        assert [evidence.rstrip(":") for evidence in _placeholders(document)] == [label], name


def test_an_empty_label_before_the_next_label_on_a_joined_line_is_found():
    from policygen.read.text import parse_text
    document = parse_text("Riktlinje för sociala företag\n\nDnr: KS 2023/41 Gäller som längst till: Beslutad av: KF\n",
                          markdown=False)
    assert _placeholders(document) == ["Gäller som längst till:"]
