"""Plain text and PDF drafts: hard-wrapped paragraphs, footnotes at the foot
of the page, running headers and page numbers."""

from __future__ import annotations

from pdf_factory import write_pdf
from policygen.model import Heading, Paragraph
from policygen.read.draft import read_document
from policygen.read.text import parse_text

WRAPPED = """Riktlinje för samverkan med sociala företag

Kommunen ska samverka med de sociala företagen i kommunen och stödja dem i deras
utveckling. Det sker genom rådgivning och information.
Regeringen3 beskriver de arbetsintegrerande sociala företagen som en viktig del av
arbetsmarknaden. Kommunen följer den beskrivningen.
Uppföljning sker varje år.

3 Regeringens strategi för sociala företag, 2018, se
https://www.regeringen.se/informationsmaterial/strategi/
Ansvar
Näringslivsenheten ansvarar för arbetet.
"""


def test_hard_wrapped_text_is_split_into_paragraphs_and_footnotes_set_apart():
    document = parse_text(WRAPPED, markdown=False)
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs == [
        "Kommunen ska samverka med de sociala företagen i kommunen och stödja dem i deras "
        "utveckling. Det sker genom rådgivning och information.",
        "Regeringen beskriver de arbetsintegrerande sociala företagen som en viktig del av "
        "arbetsmarknaden. Kommunen följer den beskrivningen.",
        "Uppföljning sker varje år.",
        "Näringslivsenheten ansvarar för arbetet.",
    ]
    assert document.footnotes["3"].text == ("Regeringens strategi för sociala företag, 2018, se "
                                            "https://www.regeringen.se/informationsmaterial/strategi/")
    assert [h.text for h in document.blocks if isinstance(h, Heading)] == [
        "Riktlinje för samverkan med sociala företag", "Ansvar"]


def test_numbers_without_a_mark_in_the_text_are_not_footnotes():
    document = parse_text("Plan\n\nVi ska anordna träffar.\n\n2 gånger per år träffas nämnden.\n", markdown=False)
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)][-1] == "2 gånger per år träffas nämnden."
    assert document.footnotes == {}


def test_pdf_running_headers_and_page_numbers_are_dropped(tmp_path):
    header = "Ljungby kommun – Riktlinje för sociala företag"
    pages = [[header, "Riktlinje för sociala företag", "", "Inledning",
              "Kommunen samverkar med sociala företag.", "", "Sida 1 av 3"],
             [header, "Ansvar", "Kommunstyrelsen äger frågan.", "", "Sida 2 av 3"],
             [header, "Uppföljning", "Näringslivsenheten följer upp arbetet varje år.", "", "Sida 3 av 3"]]
    document = read_document(write_pdf(tmp_path / "utkast med mellanslag.pdf", pages))
    headings = [(h.text, h.location.page) for h in document.blocks if isinstance(h, Heading)]
    assert headings == [("Riktlinje för sociala företag", 1), ("Inledning", 1), ("Ansvar", 2), ("Uppföljning", 3)]
    texts = [text for text, _ in document.text_units()]
    assert header not in texts and not any(t.startswith("Sida") for t in texts)
    follow_up = next(b for b in document.blocks if isinstance(b, Paragraph) and "följer upp" in b.text)
    assert follow_up.location.page == 3 and follow_up.location.section == "Uppföljning"
