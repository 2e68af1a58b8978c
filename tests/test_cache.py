"""The cache of derived data: validated YAML, YAML texts, schema checks,
compiled templates and the lemma table. It may only make things faster, never
change a result, hide a mistake, crash or hang: every entry is checked (its
source hash, its own hash, its size and that it is a regular file) before it is
trusted, and a bad entry is built again."""

from __future__ import annotations

import contextlib
import gzip
import json
import marshal
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, run_cli
from policygen.errors import UserError
from policygen.generate.clauses import load_clause
from policygen.infra import cache
from policygen.infra.resources import clauses_dir
from policygen.nlp.lemmas import LemmaTable


def test_a_validated_file_is_read_from_the_cache_until_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "iop.yaml"
    shutil.copy(clauses_dir() / "iop.yaml", path)
    first = load_clause(path)
    assert list((tmp_path / "cache" / "data").iterdir())
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


# -- bad entries ---------------------------------------------------------------------------------------------

@contextlib.contextmanager
def _within(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: opening a FIFO planted in the cache would block."""
    def hung(*_):
        raise AssertionError(f"hängde i mer än {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _header(path: Path) -> dict:
    parts = cache._split_entry(path.read_bytes())
    assert parts is not None, path
    return json.loads(parts[1])


def _is_sound(path: Path) -> bool:
    """A regular file whose check line's hashes and size match its payload."""
    if path.is_symlink() or not path.is_file() or cache._split_entry(path.read_bytes()) is None:
        return False
    return cache._read_entry(path, _header(path)["source"]) is not None


def _well_formed(path: Path, payload: bytes) -> None:
    """An entry with the right source hash and a correct hash of `payload`:
    only the payload's shape can tell that it is wrong."""
    source = _header(path)["source"]
    path.unlink()
    cache._write_entry(path, source, payload)


def _from_another_source(path: Path) -> None:
    """The right payload with its right hash, stored as built from another source."""
    payload = cache._read_entry(path, _header(path)["source"])
    assert payload is not None
    path.unlink()
    cache._write_entry(path, "0" * 64, payload)


def _wrong_shape(kind: str) -> bytes:
    if kind == "templates":
        return marshal.dumps(["ingen", "kod"])
    if kind == "valid":
        return b"[]"  # the mark of a passed check is an empty payload
    return b"[1, 2, 3]"  # a JSON list where a mapping belongs


def _wrong_keys(kind: str) -> bytes:
    if kind == "templates":
        return marshal.dumps({"co_code": b""})
    return json.dumps({"okänd_nyckel": "värde"}).encode()


def _huge(path: Path, _kind: str) -> None:
    path.unlink()
    with open(path, "wb") as handle:
        handle.truncate(cache.MAX_FILE_ENTRY_BYTES + 1)  # sparse: costs no disk


def _symlink(path: Path, _kind: str) -> None:
    # A link to a sound entry elsewhere is still not followed, and what it
    # points to is never written through it.
    elsewhere = path.parent.parent.parent / "utanför" / path.name
    elsewhere.parent.mkdir(exist_ok=True)
    shutil.copy(path, elsewhere)
    path.unlink()
    path.symlink_to(elsewhere)


def _fifo(path: Path, _kind: str) -> None:
    path.unlink()
    os.mkfifo(path)


def _folder(path: Path, _kind: str) -> None:
    path.unlink()
    path.mkdir()


def _rewrite(change: Callable[[bytes], bytes]) -> Callable[[Path, str], None]:
    def plant(path: Path, _kind: str) -> None:
        content = change(path.read_bytes())
        path.unlink()  # a new file: a check remembered for the old one must not count
        path.write_bytes(content)
    return plant


def _flip_last_byte(raw: bytes) -> bytes:
    return raw[:-1] + bytes([raw[-1] ^ 0x55]) if raw else b"x"


BAD_ENTRIES: dict[str, Callable[[Path, str], None]] = {
    "avkortad": _rewrite(lambda raw: raw[:len(raw) // 2]),
    "skräp": _rewrite(lambda raw: bytes(range(256)) * 3),
    "tom": _rewrite(lambda raw: b""),
    "ändrat innehåll": _rewrite(_flip_last_byte),
    "annan källa": lambda path, kind: _from_another_source(path),
    "fel form": lambda path, kind: _well_formed(path, _wrong_shape(kind)),
    "fel nycklar": lambda path, kind: _well_formed(path, _wrong_keys(kind)),
    "för stor": _huge,
    "symbolisk länk": _symlink,
    "fifo": _fifo,
    "mapp": _folder,
}
ENTRY_KINDS = ("data", "yaml", "valid", "templates")
DRAFT = """Riktlinje för samverkan med sociala företag

Kommunen skall stödja sociala företag.

Uppföljning

Näringslivsenheten rapporterar till kommunstyrelsen en gång varje år.
"""


def _forget_what_this_process_loaded() -> None:
    """Empty policygen's in-process memos, so that the next command reads the
    cache folder again as a new process would."""
    for name, module in list(sys.modules.items()):
        if name != "policygen" and not name.startswith("policygen."):
            continue
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) == name and callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    cache._checked_files.clear()


def _results(folder: Path) -> tuple[str, str]:
    """What a user sees from a generate and a lint: the document and the findings."""
    _forget_what_this_process_loaded()
    out = folder / "ut"
    code, _, stderr = run_cli("generate", EXAMPLES / "ljungby.yaml", "--doc=policy", "--format=md", "--utkast",
                              "-o", out, "--force")
    assert code == 0, stderr
    (document,) = out.glob("*.md")
    draft = folder / "utkast.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    code, findings, stderr = run_cli("lint", draft, "--format=json", "--min-severity=info")
    assert code == 1, stderr
    return document.read_text(encoding="utf-8"), findings


def _entries(kind: str) -> list[Path]:
    return sorted(p for p in (cache.cache_dir() / kind).iterdir() if not p.name.startswith(".tmp-"))


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Iterator[tuple[Path, tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("cache-proov")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYGEN_CACHE", str(folder / "cache"))
        expected = _results(folder)
        assert _results(folder) == expected  # the second time from the cache
        yield folder, expected
    _forget_what_this_process_loaded()


@pytest.mark.parametrize("bad", list(BAD_ENTRIES))
def test_a_bad_entry_of_any_kind_is_built_again_and_the_result_stays_the_same(warm_cache, bad):
    folder, expected = warm_cache
    planted = {kind: _entries(kind) for kind in ENTRY_KINDS}
    for kind, paths in planted.items():
        assert paths, f"no {kind} entries"
        for path in paths:
            BAD_ENTRIES[bad](path, kind)
    outside = {p: p.read_bytes() for p in (folder / "utanför").glob("*")} if (folder / "utanför").exists() else {}
    with _within(60):
        assert _results(folder) == expected
    for kind, paths in planted.items():
        assert [p for p in paths if not _is_sound(p)] == [], f"{kind}: not built again"
    assert {p: p.read_bytes() for p in outside} == outside  # nothing written through a link


# -- the lemma table's SQLite file --------------------------------------------------------------------------

def _small_lemma_source(folder: Path) -> Path:
    source = folder / "lemman.json.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        json.dump({"kommunerna": "kommun", "Företagen": "företag", "nämnder": "nämnd"}, handle)
    return source


WORDS = ["kommunerna", "företagen", "nämnder", "xyzzy"]


def _lemmas_from(source: Path, monkeypatch) -> dict[str, str]:
    """The lemmas a LemmaTable built from `source` gives, as the linter asks."""
    from policygen.nlp import lemmas

    monkeypatch.setattr(lemmas, "_source", lambda: source)
    return lemmas.LemmaTable().lemmas(WORDS)


LEMMA_BAD = {name: plant for name, plant in BAD_ENTRIES.items() if name not in ("fel nycklar", "annan källa")}


@pytest.mark.parametrize("target", ["sqlite", "kontroll"])
@pytest.mark.parametrize("bad", list(LEMMA_BAD))
def test_a_bad_lemma_table_or_record_is_built_again(tmp_path, monkeypatch, target, bad):
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "cache"))
    source = _small_lemma_source(tmp_path)
    expected = _lemmas_from(source, monkeypatch)
    assert expected == {"företagen": "företag", "kommunerna": "kommun", "nämnder": "nämnd", "xyzzy": "xyzzy"}
    (table,) = (tmp_path / "cache").glob("sv-lemman-*.sqlite")
    record = table.with_name(table.name + ".kontroll")
    path = table if target == "sqlite" else record
    if target == "sqlite" and bad in ("fel form",):
        path.unlink()
        path.write_bytes(b"[1, 2, 3]")
    else:
        LEMMA_BAD[bad](path, "lemma")
    cache._checked_files.clear()
    with _within(30):
        assert _lemmas_from(source, monkeypatch) == expected
    assert table.is_file() and not table.is_symlink() and _is_sound(record)
    assert cache._matches_record(table, cache._read_entry(record, _header(record)["source"]))


def test_a_lemma_table_built_from_another_source_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "cache"))
    source = _small_lemma_source(tmp_path)
    _lemmas_from(source, monkeypatch)
    (table,) = (tmp_path / "cache").glob("sv-lemman-*.sqlite")
    other = tmp_path / "annan"
    other.mkdir()
    with gzip.open(other / "lemman.json.gz", "wt", encoding="utf-8") as handle:
        json.dump({"kommunerna": "FEL"}, handle)
    other_table = _lemmas_from(other / "lemman.json.gz", monkeypatch)
    (other_name,) = [p for p in (tmp_path / "cache").glob("sv-lemman-*.sqlite") if p != table]
    shutil.copy(other_name, table)  # the right name, another table's content
    cache._checked_files.clear()
    assert other_table["kommunerna"] == "FEL"
    assert _lemmas_from(source, monkeypatch)["kommunerna"] == "kommun"


def test_a_fifo_in_place_of_the_real_lemma_table_neither_hangs_nor_changes_the_findings(warm_cache):
    folder, expected = warm_cache
    (table,) = cache.cache_dir().glob("sv-lemman-*.sqlite")
    table.unlink()
    os.mkfifo(table)
    with _within(60):
        assert _results(folder) == expected
    assert table.is_file()


# -- arbitrary bytes ---------------------------------------------------------------------------------------

def _load_yaml(path: Path):
    from policygen.infra.yamlio import load_yaml_data
    return load_yaml_data(path, "profilen")


def _load_data(path: Path):
    from policygen.generate.clauses import CLAUSE_SCHEMA
    from policygen.infra.validation import load_validated
    return load_validated(path, "klausulfilen", CLAUSE_SCHEMA, "")[0]


def _validate(path: Path):
    from policygen.profile.load import load_profile
    _forget_what_this_process_loaded()
    return load_profile(path)


def _compile(_path: Path):
    from policygen.generate.templating import compile_template
    compile_template.cache_clear()
    return compile_template("{{ namn }} samverkar med {{ lista | lista }}.").render(namn="Ljungby",
                                                                                    lista=["a", "b", "c"])


LOADERS = {"yaml": _load_yaml, "data": _load_data, "valid": _validate, "templates": _compile}


@pytest.fixture(scope="module")
def byte_cache(tmp_path_factory) -> Iterator[dict[str, tuple[Path, Path, object, bytes]]]:
    """For each entry kind: an input, its entry, the right result and the sound entry's bytes."""
    folder = tmp_path_factory.mktemp("bytes")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYGEN_CACHE", str(folder / "cache"))
        inputs = {"yaml": folder / "profil.yaml", "data": folder / "uppfoljning.yaml",
                  "valid": folder / "ljungby.yaml", "templates": folder / "ingen"}
        shutil.copy(EXAMPLES / "ljungby.yaml", inputs["yaml"])
        shutil.copy(clauses_dir() / "uppfoljning.yaml", inputs["data"])
        shutil.copy(EXAMPLES / "ljungby.yaml", inputs["valid"])
        # Loading a profile also reads the concept lexicon (its free text is
        # checked against its choices); the lexicon's entries are made first,
        # so "valid" measures the profile's own entry.
        from policygen.nlp.concepts import load_lexicon
        _forget_what_this_process_loaded()
        load_lexicon()
        found = {}
        for kind, loader in LOADERS.items():
            before = set(_entries(kind)) if (cache.cache_dir() / kind).exists() else set()
            result = loader(inputs[kind])
            new = sorted(set(_entries(kind)) - before)
            assert new, kind
            found[kind] = (inputs[kind], new, result)
        yield found
    _forget_what_this_process_loaded()


@st.composite
def _damage(draw, sound: bytes) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    cut = draw(st.integers(0, len(sound)))
    at = draw(st.integers(0, cut))
    return sound[:at] + draw(st.binary(max_size=20)) + sound[at + draw(st.integers(0, 8)):cut]


@pytest.mark.parametrize("kind", list(LOADERS))
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_bytes_in_an_entry_give_the_same_result_and_a_sound_entry(byte_cache, kind, data):
    path, entries, expected = byte_cache[kind]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYGEN_CACHE", str(path.parent / "cache"))
        for entry in entries:
            sound = entry.read_bytes()
            entry.write_bytes(data.draw(_damage(sound)))
        assert LOADERS[kind](path) == expected
        assert all(_is_sound(entry) for entry in entries)
