"""The fast YAML loader reads every text exactly as the round-trip parser does,
or leaves it to the round-trip parser, so data and error messages (with their
line and column) are the same either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.errors import UserError
from policygen.infra.yamlio import (
    UNSURE,
    fast_parse,
    load_yaml,
    load_yaml_data,
    parse_yaml,
    to_plain,
)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted([*ROOT.glob("clauses/*.yaml"), *ROOT.glob("templates/**/*.yaml"),
                  *ROOT.glob("lint_rules/*.yaml"), *ROOT.glob("examples/*.yaml")])


def round_trip(text: str):
    try:
        return to_plain(parse_yaml(text, "x.yaml"))
    except UserError as error:
        return error


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_files_read_the_same(path: Path) -> None:
    expected = to_plain(load_yaml(path))
    assert load_yaml_data(path) == expected
    data = fast_parse(path.read_text(encoding="utf-8"))
    assert data is UNSURE or data == expected
    if path.parent.name in ("clauses", "examples") or path.name == "recipe.yaml":
        assert data is not UNSURE  # what generate reads every run takes the fast way


@pytest.mark.parametrize("text, expected", [
    ("svar: ja\nannat: yes\nav: off", {"svar": "ja", "annat": "yes", "av": "off"}),   # YAML 1.2: text
    ("kod: 0781", {"kod": 781}),
    ("datum: 2027-02-30", {"datum": "2027-02-30"}),                                    # dates stay text
    ("tal: 1.50\nsant: true\ntomt:\nnoll: ~", {"tal": 1.5, "sant": True, "tomt": None, "noll": None}),
    ("2027: år\ntrue: sant", {"2027": "år", "True": "sant"}),                          # keys as to_plain gives them
])
def test_values_as_the_round_trip_parser_reads_them(text: str, expected: dict) -> None:
    assert fast_parse(text) == expected == round_trip(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2",                  # duplicate key: the round-trip parser names the line
    "a:\tb",                       # a tab that ruamel refuses
    "a: &x [1]\nb: *x",            # anchors
    "a: !!str 5",                  # explicit tags
    "%YAML 1.1\n---\na: yes",      # a directive that switches the YAML version
    "a: |#\n  x",                  # a comment glued to a block scalar
    "a: 0o17", "a: 1_000", "a: .inf", "<<: {b: 1}",
])
def test_uncertain_texts_are_left_to_the_round_trip_parser(text: str) -> None:
    assert fast_parse(text) is UNSURE


def test_an_error_keeps_the_round_trip_parsers_message_and_place(tmp_path: Path) -> None:
    path = tmp_path / "profil.yaml"
    path.write_text("stil: ljungby\nkommun:\n  namn: Ljungby\n  namn: Markaryd\n", encoding="utf-8")
    with pytest.raises(UserError) as fast:
        load_yaml_data(path, "profilen")
    with pytest.raises(UserError) as slow:
        load_yaml(path, "profilen")
    assert str(fast.value) == str(slow.value)
    assert fast.value.line == 4


SAMPLE = (ROOT / "examples" / "ljungby.yaml").read_text(encoding="utf-8")
EDITS = st.lists(st.tuples(st.integers(0, len(SAMPLE)), st.sampled_from(list(":-#'\"[]{},&*!|>%\t\n ?0.e_~<=")),
                           st.booleans()), min_size=1, max_size=3)


@settings(max_examples=150, deadline=None)
@given(EDITS)
def test_edited_profiles_read_the_same_or_not_at_all(edits: list[tuple[int, str, bool]]) -> None:
    """What an official's typing slip does to a profile: a character put in or
    taken out. The fast loader answers as the round-trip parser or not at all."""
    text = SAMPLE
    for position, character, insert in edits:
        text = text[:position] + character + text[position:] if insert else text[:position] + text[position + 1:]
    data = fast_parse(text)
    if data is not UNSURE:
        assert data == round_trip(text)
