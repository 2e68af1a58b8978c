"""What a draft says a decision does, against who may decide what (rule FA17,
kind beslutsordning): the adopter comes from the sentence or from the
draft's own metadata, and the same sentence is right or wrong depending on
which body adopts the document."""

from __future__ import annotations

from policygen.lint.engine import lint_document
from policygen.read.text import parse_text


def _authority(text: str) -> list:
    document = parse_text(text, markdown=False)
    return [f for f in lint_document(document, "riktlinje", kommun="Boden").findings if f.rule == "FA17"]


def _draft(adopter: str, sentence: str) -> str:
    return (f"Riktlinje för samverkan med sociala företag\n\nBeslutad av: {adopter}\nDatum: 2026-05-04\n\n"
            f"Kommunen vill att fler sociala företag växer. {sentence}\n")


def test_a_document_a_styrelse_adopts_cannot_bind_every_namnd():
    found = _authority(_draft("Kommunstyrelsen", "Riktlinjen är bindande för alla nämnder."))
    assert [f.span.text for f in found] == ["är bindande för alla nämnder"]
    assert "fullmäktige" in found[0].message and "beslutsordning" in found[0].message


def test_the_same_sentence_is_right_when_fullmaktige_adopts():
    assert _authority(_draft("Kommunfullmäktige", "Riktlinjen är bindande för alla nämnder.")) == []


def test_companies_are_bound_through_an_agardirektiv():
    found = _authority(_draft("Kommunfullmäktige", "Riktlinjen gäller även för de kommunala bolagen."))
    assert len(found) == 1 and "ägardirektiv" in found[0].message
    assert _authority(_draft("Kommunfullmäktige", "Riktlinjen gäller även för de kommunala bolagen, genom ett "
                                                  "ägardirektiv som bolagsstämman antar.")) == []


def test_only_the_adopting_body_revises_and_others_may_propose():
    found = _authority(_draft("Kommunfullmäktige", "Socialnämnden får revidera riktlinjen när lagen ändras."))
    assert [f.span.text for f in found] == ["Socialnämnden får revidera"]
    assert _authority(_draft("Kommunfullmäktige", "Socialnämnden får föreslå ändringar när lagen ändras.")) == []
    assert _authority(_draft("Socialnämnden", "Socialnämnden reviderar riktlinjen när lagen ändras.")) == []


def test_political_responsibility_is_given_in_the_reglementen():
    sentence = "Genom riktlinjen får tekniska nämnden det politiska ansvaret för lokalerna."
    assert len(_authority(_draft("Kommunstyrelsen", sentence))) == 1
    assert _authority(_draft("Kommunfullmäktige", sentence)) == []
