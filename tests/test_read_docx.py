"""The DOCX reader on drafts as Word users make them: styles with Swedish
names, outline levels, content controls, direct formatting, nested tables,
footnotes and hostile XML."""

from __future__ import annotations

import pytest

from docx_factory import p, style, table, write_docx
from policygen.errors import UserError
from policygen.model import BulletList, Heading, Paragraph, Table
from policygen.read.draft import read_document


def _blocks(document, kind):
    return [b for b in document.blocks if isinstance(b, kind)]


def test_headings_from_style_names_outline_levels_and_formatting(tmp_path):
    styles = (style("Rubrik", "Title") + style("R1", "Rubrik 1") + style("Egen", "Kommunrubrik", outline=1)
              + style("Arvd", "Min rubrik", based_on="Egen") + style("Fet", "Fet text", bold=True))
    body = (p("Policy för sociala företag", style="Rubrik") + p("Inledning", style="R1")
            + p("Kommunen vill samverka med sociala företag.")
            + p("Ansvar", style="Egen") + p("Underrubrik", style="Arvd")
            + p("Uppföljning", bold=True) + p("Stor rubrik", size=28)
            + p("Fetstil i hela stycket som är en vanlig mening.", style="Fet")
            + p("Lokal nivå", outline=2))
    document = read_document(write_docx(tmp_path / "utkast.docx", body, styles))
    headings = [(h.level, h.text) for h in _blocks(document, Heading)]
    assert headings == [(0, "Policy för sociala företag"), (1, "Inledning"), (2, "Ansvar"),
                        (2, "Underrubrik"), (1, "Uppföljning"), (1, "Stor rubrik"), (3, "Lokal nivå")]
    assert document.title == "Policy för sociala företag"
    assert [x.text for x in _blocks(document, Paragraph)] == [
        "Kommunen vill samverka med sociala företag.", "Fetstil i hela stycket som är en vanlig mening."]


def test_lists_tables_content_controls_and_anchors(tmp_path):
    body = (p("Handlingsplan", style="Title")
            + "<w:sdt><w:sdtPr/><w:sdtContent>" + p("Text i en innehållskontroll.") + "</w:sdtContent></w:sdt>"
            + p("Första punkten", numbered=True) + p("• Andra punkten")
            + table([["Aktivitet", "Ansvar"], ["Informationsträff", "Näringslivsenheten"], ["", ""]])
            + p("Sista stycket."))
    document = read_document(write_docx(tmp_path / "utkast.docx", body, style("Title", "Title")))
    paragraphs = _blocks(document, Paragraph)
    assert [x.text for x in paragraphs] == ["Text i en innehållskontroll.", "Sista stycket."]
    bullets, = _blocks(document, BulletList)
    assert [i.text for i in bullets.items] == ["Första punkten", "Andra punkten"]
    grid, = _blocks(document, Table)
    assert grid.kind == "activities" and grid.header == ("Aktivitet", "Ansvar")
    assert grid.rows == (("Informationsträff", "Näringslivsenheten"),)
    # Anchors count every <w:p> in body order, table cells included.
    assert [x.location.anchor for x in paragraphs] == [1, 10]
    assert [i.location.anchor for i in bullets.items] == [2, 3]
    assert grid.location.anchor == 4


def test_nested_table_text_stays_in_its_cell(tmp_path):
    inner = table([["inre a", "inre b"]])
    body = (p("Titel", style="Title") + "<w:tbl><w:tr><w:tc>" + p("Rubrik") + "</w:tc><w:tc>" + p("Yttre")
            + "</w:tc></w:tr><w:tr><w:tc>" + p("cell") + inner + "</w:tc><w:tc>" + p("x") + "</w:tc></w:tr></w:tbl>")
    grid, = _blocks(read_document(write_docx(tmp_path / "n.docx", body)), Table)
    assert grid.rows == (("cell inre a inre b", "x"),)


def test_footnotes_are_kept_apart_from_the_running_text(tmp_path):
    footnotes = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:id="1"><w:p><w:r><w:t>Regeringens strategi, 2018.</w:t></w:r></w:p></w:footnote>')
    body = p("Titel", style="Title") + p("Kommunen samverkar.")
    document = read_document(write_docx(tmp_path / "f.docx", body, footnotes=footnotes))
    assert {k: v.text for k, v in document.footnotes.items()} == {"1": "Regeringens strategi, 2018."}
    assert all("Regeringens" not in text for text, _ in document.text_units())


def test_title_from_core_properties_when_the_body_has_none(tmp_path):
    document = read_document(write_docx(tmp_path / "t.docx", p("Kommunen samverkar med företag."),
                                        title="Riktlinje för samverkan"))
    assert document.title == "Riktlinje för samverkan"


def test_entities_are_never_expanded_or_fetched(tmp_path):
    secret = tmp_path / "hemligt.txt"
    secret.write_text("HEMLIG", encoding="utf-8")
    prolog = (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">'
              '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    body = '<w:p><w:r><w:t>Start &xxe; &b; slut.</w:t></w:r></w:p>' + p("Kommunen samverkar.")
    try:
        document = read_document(write_docx(tmp_path / "xxe.docx", body, prolog=prolog))
    except UserError as error:
        assert "xxe.docx" in str(error)
        return
    text = " ".join(t for t, _ in document.text_units())
    assert "HEMLIG" not in text and "aaaaaaaaaa" not in text


def test_deeply_nested_xml_is_a_clean_error(tmp_path):
    body = "<w:sdt><w:sdtContent>" * 3000 + p("djupt") + "</w:sdtContent></w:sdt>" * 3000
    with pytest.raises(UserError) as caught:
        read_document(write_docx(tmp_path / "djup.docx", body))
    assert "djup.docx" in str(caught.value)


def test_broken_xml_names_the_part(tmp_path):
    path = write_docx(tmp_path / "trasig.docx", "<w:p><w:r><w:t>ingen slut")
    with pytest.raises(UserError) as caught:
        read_document(path)
    assert "word/document.xml" in str(caught.value)
