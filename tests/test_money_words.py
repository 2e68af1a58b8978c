"""Amounts written in words are read as amounts ("sjuhundra tusen kronor"), and
an amount written with digits is not read twice ("0,7 miljoner kronor")."""

from __future__ import annotations

import pytest

from policygen.lint.text.claims import money_in, number_from_words


@pytest.mark.parametrize(("words", "value"), [
    ("sjuhundra tusen", 700_000), ("sjuhundratusen", 700_000), ("tvåhundrasjuttiotusen", 270_000),
    ("en miljon tvåhundratusen", 1_200_000), ("tusen", 1_000), ("femhundrafemtio", 550),
    ("tolv miljoner", 12_000_000), ("nittionio", 99),
])
def test_swedish_numbers_in_words(words, value):
    assert number_from_words(words) == value


def test_not_a_number():
    assert number_from_words("tusenskönor") is None


@pytest.mark.parametrize(("text", "amounts"), [
    ("Gränsen är sjuhundra tusen kronor.", [700_000]),
    ("Gränsen är 0,7 miljoner kronor.", [700_000]),
    ("Budgeten är en miljon kronor och gränsen 700 000 kr.", [700_000, 1_000_000]),
])
def test_amounts_in_a_sentence(text, amounts):
    assert sorted(m.kronor for m in money_in(text)) == amounts
