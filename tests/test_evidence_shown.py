"""The proof a review shows for a part is the sentence that states it, not an
activity-table row or a list item about something else, and a part the draft
lacks is not placed at its first paragraph (issue 22)."""

from __future__ import annotations

from policygen.lint.engine import lint_document
from policygen.model import DocumentBuilder
from policygen.report.html import render_html
from policygen.report.text import render_text

TITLE = "Handlingsplan för sociala företag i Bodens kommun"


def _plan():
    builder = DocumentBuilder(TITLE, doc_type="handlingsplan")
    builder.heading(TITLE, 0)
    builder.heading("Aktiviteter", 1)
    builder.table(["Aktivitet", "Ansvar", "Uppföljning"], [
        ["Ta fram en vägledning om reserverade upphandlingar", "Kommunstyrelsen, näringslivsenheten",
         "Årlig rapport till kommunstyrelsen"],
        ["Samverka med Coompanion om rådgivning", "Arbetsmarknadsförvaltningen", "Följs upp i bokslutet"]],
        kind="activities")
    builder.bullet_list(["Samverka med sociala företag och andra leverantörer inför varje större upphandling."],
                        intro="Kommunen ska:")
    builder.heading("Organisation och ansvar", 1)
    builder.paragraph("Kommunstyrelsen äger planen och beslutar om dess inriktning. Arbetsmarknadsförvaltningen "
                      "ansvarar för att genomföra den och samordnar arbetet mellan förvaltningarna.")
    builder.paragraph("Kommunen samverkar med Coompanion, Arbetsförmedlingen och Region Norrbotten i ett gemensamt "
                      "nätverk för sociala företag som träffas fyra gånger om året.")
    builder.paragraph("Kommunen ska i sina upphandlingar använda reserverade kontrakt och sociala hänsyn för att "
                      "ge sociala företag möjlighet att lämna anbud.")
    builder.paragraph("Planen följs upp varje år av arbetsmarknadsnämnden, som rapporterar resultatet till "
                      "kommunstyrelsen i samband med årsredovisningen.")
    return lint_document(builder.document, "handlingsplan", kommun="Boden")


def test_a_sentence_is_shown_before_a_table_row_or_a_list_item():
    result = _plan()
    first = {cid: coverage.evidence[0].text for cid, coverage in result.coverage.items() if coverage.evidence}
    assert first["politisk-placering"] == "Kommunstyrelsen äger planen och beslutar om dess inriktning."
    assert first["ansvarig-funktion"].startswith("Arbetsmarknadsförvaltningen ansvarar för att genomföra")
    assert first["uppfoljning"].startswith("Planen följs upp varje år")
    assert first["extern-samverkan"].startswith("Kommunen samverkar med Coompanion, Arbetsförmedlingen")
    assert first["upphandling"].startswith("Kommunen ska i sina upphandlingar")
    for coverage in result.coverage.values():
        if coverage.status == "present":
            assert " – " not in coverage.evidence[0].text, coverage.name   # a table row joins its cells so


def test_a_missing_part_has_no_paragraph_as_its_place():
    result = _plan()
    missing = [f for f in result.findings if f.coverage_id and result.coverage[f.coverage_id].status == "missing"]
    assert missing
    text = render_text(result)
    html = render_html([result])
    for finding in missing:
        block = text.split(f"{finding.rule} {finding.message}")[1].split("\n\n")[0]
        assert "stycke" not in block
        assert "Var:" not in block
    assert "stycke 1</div>" not in html
    assert "hela dokumentet" in html
