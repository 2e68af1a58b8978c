"""policygen.nlp.tokenizer stands in for spacy.blank("sv") on the lint path (issue
15: a cold lint spent 0.6 s importing spaCy). It must give exactly spaCy's
tokens, offsets and sentence starts, and its data must be spaCy's rules."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygen.nlp import sentences as nlp
from policygen.nlp.tokenizer import _data, installed_spacy_version, swedish_tokenizer
from policygen.nlp.tokenizer_tables import derive_tables

ROOT = Path(__file__).resolve().parents[1]


@cache
def _spacy():
    import spacy

    pipeline = spacy.blank("sv")
    pipeline.add_pipe("sentencizer")
    return pipeline


def _spacy_tokens(text: str) -> list[tuple[str, int, bool]]:
    return [(token.text, token.idx, bool(token.is_sent_start)) for token in _spacy()(text)]


def _our_tokens(text: str) -> list[tuple[str, int, bool]]:
    return [(token.text, token.idx, token.sent_start) for token in swedish_tokenizer()(text)]


def test_the_tables_in_use_are_the_installed_spacys_rules():
    stored = _data()
    assert stored is not None
    assert stored["spacy_version"] == installed_spacy_version()
    assert stored == json.loads(json.dumps(derive_tables()))


def _project_texts() -> list[str]:
    files = [*sorted((ROOT / "clauses").rglob("*.yaml")), *sorted((ROOT / "lint_rules").glob("*.yaml")),
             *sorted((ROOT / "tests" / "data").glob("*")), *sorted((ROOT / "benchmarks").rglob("*.txt")),
             *sorted((ROOT / "templates").rglob("*.j2")), ROOT / "README.md"]
    texts = []
    for path in files:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            texts.append(text)
            texts.extend(text.splitlines())
    return texts


def test_same_tokens_and_sentences_as_spacy_on_the_projects_texts():
    texts = _project_texts()
    assert len(texts) > 3000  # clauses, rule examples and the real drafts in benchmarks/
    differing = [text for text in texts if _our_tokens(text) != _spacy_tokens(text)]
    assert differing == []


def test_known_hard_cases():
    tokens = [text for text, _, _ in _our_tokens("Bl.a. IOP:n, t.ex. (s.k. ASF) – se www.skr.se/a.html.  Klart!")]
    assert tokens == ["Bl.a.", "IOP:n", ",", "t.ex.", "(", "s.k.", "ASF", ")", "–", "se", "www.skr.se/a.html",
                      ".", " ", "Klart", "!"]
    starts = [text for text, _, start in _our_tokens("Första meningen. Andra meningen! ”Tredje.” Fjärde")
              if start]
    # A closing quotation mark stays with its sentence, as in spaCy.
    assert starts == ["Första", "Andra", "Tredje", "Fjärde"]


@cache
def _pieces() -> list[str]:
    # Special cases, punctuation, every kind of whitespace, numbers, addresses
    # and Swedish words: what the affix, infix and special-case rules act on.
    return [*_data()["special_cases"], *".,;:!?()[]{}\"'«»”“‘’-–—/\\%&+*=<>#@$€§…",
            " ", "  ", "\n", "\t", "\u00a0", "\u2009", "\r\n", "kommun", "IOP", "ASF", "t", "ex", "bl", "a",
            "s.k", "1", "2022", "30", "3,5", "1.000", "www.skr.se", "https://skr.se/a?b=1", "info@x.se",
            "Åsa", "sociala", "företag", "é", "😀", ":-)", "'s", "ca", "nr", "e.d", "kap.", "§"]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_same_tokens_as_spacy_on_generated_text(data):
    pieces = data.draw(st.lists(st.sampled_from(_pieces()), min_size=1, max_size=14))
    text = "".join(pieces)
    assert _our_tokens(text) == _spacy_tokens(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=40))
def test_same_tokens_as_spacy_on_any_unicode(text):
    assert _our_tokens(text) == _spacy_tokens(text)


def test_sentences_are_the_same_through_spacy_and_the_tokenizer(monkeypatch):
    texts = [text for text in _project_texts() if text.strip()][:400]
    fast = nlp.sentences_of(texts)
    monkeypatch.setattr(nlp, "_use_spacy", lambda: True)
    assert nlp.sentences_of(texts) == fast


def test_a_draft_is_linted_without_importing_spacy(tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy för sociala företag\n\nKommunen följer upp arbetet varje år. "
                     "Kommunstyrelsen ansvarar.\n", encoding="utf-8")
    probe = ("import sys\n"
             "from policygen.lint.run import lint_files\n"
             "from pathlib import Path\n"
             f"run = lint_files([Path({str(draft)!r})])\n"
             "assert not run.errors, run.errors\n"
             "assert run.results and run.results[0].findings\n"
             "print('spacy' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def _as_another_spacy_release(monkeypatch, tables, version):
    """Pretend the installed spaCy is a release the package has no tables for."""
    import policygen.nlp.tokenizer as tokenizer

    monkeypatch.setattr(tokenizer, "installed_spacy_version", lambda: version)
    monkeypatch.setattr(tokenizer, "derive_tables", tables)
    for cached_function in (tokenizer._data, tokenizer.swedish_tokenizer, nlp._use_spacy):
        cached_function.cache_clear()
    return tokenizer


def _forget_the_pretence(tokenizer):
    for cached_function in (tokenizer._data, tokenizer.swedish_tokenizer, nlp._use_spacy):
        cached_function.cache_clear()


def test_another_spacy_release_gets_its_tables_derived_once_and_cached(monkeypatch):
    calls = []

    def derive():
        calls.append(1)
        return {**derive_tables(), "spacy_version": "9.9.9"}

    tokenizer = _as_another_spacy_release(monkeypatch, derive, "9.9.9")
    try:
        assert nlp._use_spacy() is False  # no silent fall-back to the slow path
        assert [t.text for t in tokenizer.swedish_tokenizer()("Ett. Två.")] == ["Ett", ".", "Två", "."]
        tokenizer._data.cache_clear()
        assert tokenizer._data()["spacy_version"] == "9.9.9"
        assert len(calls) == 1, "the second process reads the tables from the cache"
    finally:
        _forget_the_pretence(tokenizer)


def test_a_spacy_whose_tables_cannot_be_derived_is_used_itself(monkeypatch):
    def changed_internals():
        raise AttributeError("a spaCy release without tokenizer.rules")

    tokenizer = _as_another_spacy_release(monkeypatch, changed_internals, "9.9.8")
    try:
        assert nlp._use_spacy() is True
        assert nlp.sentences_of(["Ett. Två."])[0][1].text == "Två."
    finally:
        _forget_the_pretence(tokenizer)


@pytest.mark.parametrize("text", ["", " ", "\n\n", "a", "..."])
def test_edge_texts(text):
    assert _our_tokens(text) == _spacy_tokens(text)
