"""Another kommun's name as the place of the draft's own work ("… ska växa i
Luleå kommun" in a Boden policy) is a copying error; the same name as a
partner, a neighbour or an example is not (issue 22)."""

from __future__ import annotations

import pytest

from policygen.lint.engine import lint_document
from policygen.model import DocumentBuilder


def _other_kommun(sentence: str) -> list[str]:
    builder = DocumentBuilder("Policy för sociala företag i Bodens kommun", doc_type="policy")
    builder.heading("Policy för sociala företag i Bodens kommun", 0)
    builder.paragraph("Bodens kommun vill att fler människor får arbete genom sociala företag.")
    builder.paragraph(sentence)
    return [f.span.text for f in lint_document(builder.document, "policy", kommun="Boden").findings if f.rule == "FA04"]


@pytest.mark.parametrize("sentence", [
    "Antalet arbetsintegrerande sociala företag ska växa i Luleå kommun.",
    "Under perioden ska fler sociala företag startas inom Luleå kommun.",
    "Kommunen vill se fler platser för arbetsträning i Luleå kommun, särskilt för unga.",
])
def test_the_place_of_the_drafts_own_work_is_flagged(sentence):
    assert _other_kommun(sentence) == ["Luleå kommun"]


@pytest.mark.parametrize("sentence", [
    "Kommunen ska utveckla rådgivningen tillsammans med Luleå kommun.",
    "Vi ska bygga upp arbetet på samma sätt som i Luleå kommun.",
    "Kommunen ska samverka med grannkommunen Luleå kommun och med Region Norrbotten.",
    "Bodens kommun ska lära av erfarenheterna i Luleå kommun.",
    "Deltagare som bor i Luleå kommun ska också kunna få en plats.",
    "Flera sociala företag finns i Luleå kommun.",
    "Kommunen har studerat hur sociala företag har vuxit i Luleå kommun.",
])
def test_partners_neighbours_and_examples_are_not(sentence):
    assert _other_kommun(sentence) == []
