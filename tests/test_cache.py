"""The cache of derived data: validated YAML and the lemma table. It may only
make things faster, never change a result or hide a mistake."""

from __future__ import annotations

import shutil

import pytest

from policygen import cache
from policygen.clauses import load_clause
from policygen.errors import UserError
from policygen.lemmas import LemmaTable
from policygen.resources import clauses_dir


def test_a_validated_file_is_read_from_the_cache_until_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "iop.yaml"
    shutil.copy(clauses_dir() / "iop.yaml", path)
    first = load_clause(path)
    assert list((tmp_path / "cache" / "data").glob("*.json"))
    assert load_clause(path) == first
    # An edit with a mistake must be caught, not served from the cache.
    path.write_text(path.read_text(encoding="utf-8").replace("topic:", "topik:", 1), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_clause(path)
    assert caught.value.line is not None and "topik" in str(caught.value)


def test_a_semantic_error_found_after_a_cached_read_still_has_its_line(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "annat-namn.yaml"
    shutil.copy(clauses_dir() / "iop.yaml", path)
    for _ in range(2):  # second time the data comes from the cache
        with pytest.raises(UserError) as caught:
            load_clause(path)
        assert caught.value.line == 1 and "filnamnet" in str(caught.value)


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "fil"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("POLICYGEN_CACHE", str(blocker / "under-en-fil"))
    lemmas = LemmaTable().lemmas(["kommunerna", "företagen", "xyzzy"])
    assert {w: lemmas[w] for w in ("kommunerna", "företagen", "xyzzy")} == {
        "kommunerna": "kommun", "företagen": "företag", "xyzzy": "xyzzy"}
    shutil.copy(clauses_dir() / "iop.yaml", tmp_path / "iop.yaml")
    assert load_clause(tmp_path / "iop.yaml").id == "iop"


def test_lemma_cache_gives_the_same_lemmas_as_the_table_in_memory(tmp_path, monkeypatch):
    words = ["socialförvaltningen", "uppföljningen", "följs", "nämnder", "ansvarar", "skall"]
    from_disk = LemmaTable().lemmas(words)  # the test session's cache, built once
    assert list(cache.cache_dir().glob("sv-lemman-*.sqlite"))
    blocker = tmp_path / "fil"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("POLICYGEN_CACHE", str(blocker / "under-en-fil"))
    assert {w: from_disk[w] for w in words} == {w: LemmaTable().lemmas(words)[w] for w in words}
