"""Swedish lookup lemmas from spacy-lookups-data.

The table has 660 000 entries; decoding it takes about two seconds, longer than
the whole lint of a draft. So it is copied once into an SQLite file in the
user's cache folder and afterwards only the words of the draft are looked up.
Nothing is downloaded: the source is the installed spacy-lookups-data package.
If the cache folder cannot be written, the table is read into memory instead.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.cache import cached_file, sha256
from policygen.infra.inputs import regular_file_chunks

_BATCH = 500  # SQLite's limit on bound parameters is 999 in older builds


def _source() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        raise UserError("paketet spacy-lookups-data saknas", hint="installera om policygen: pip install .")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "sv_lemma_lookup.json.gz"


class LemmaTable:
    """Lower-cased word → lemma; words the table does not know are their own lemma."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None
        self._memory: dict[str, str] | None = None
        self._pid = os.getpid()
        self._source = _source()
        try:
            self._db = _open_cache(self._source)
        except (OSError, sqlite3.Error):
            self._memory = _read_source(self._source)

    def _connection(self) -> sqlite3.Connection:
        # An SQLite connection must not cross a fork: a batch worker opens its own.
        if self._pid != os.getpid():
            self._db, self._pid = _open_cache(self._source), os.getpid()
        assert self._db is not None  # lemmas() reads the in-memory table when the cache could not open
        return self._db

    def lemmas(self, words: Iterable[str]) -> dict[str, str]:
        wanted = [w for w in set(words) if w not in self._known]
        if wanted:
            if self._memory is not None:
                found = {w: self._memory[w] for w in wanted if w in self._memory}
            else:
                found = {}
                for start in range(0, len(wanted), _BATCH):
                    chunk = wanted[start:start + _BATCH]
                    marks = ",".join("?" * len(chunk))
                    found.update(self._connection().execute(f"SELECT word, lemma FROM lemma WHERE word IN ({marks})", chunk))
            for word in wanted:
                self._known[word] = found.get(word, word)
        return self._known


@cache
def lemma_table() -> LemmaTable:
    return LemmaTable()


def _read_source(source: Path) -> dict[str, str]:
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    # Drafts are looked up lower-cased; keep the lower-case entry where both exist.
    lowered: dict[str, str] = {}
    for word, lemma in table.items():
        key = word.lower()
        if key == word or key not in table:
            lowered[key] = lemma.lower() if key != word else lemma
    return lowered


def _open_cache(source: Path) -> sqlite3.Connection:
    # The installed table's own hash names and checks the SQLite copy: a copy
    # built from another table, damaged, or replaced by anything but a regular
    # file (a FIFO would block SQLite's open for ever) is built again.

    content = sha256(b"".join(regular_file_chunks(source, 64 * 1024 * 1024)))
    path = cached_file(f"sv-lemman-{content[:16]}.sqlite", content, lambda temporary: _build_cache(source, temporary))
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    db.execute("SELECT 1 FROM lemma LIMIT 1")
    return db


def _build_cache(source: Path, temporary: str) -> None:
    db = sqlite3.connect(temporary)
    with db:
        db.execute("CREATE TABLE lemma (word TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO lemma VALUES (?, ?)", _read_source(source).items())
    db.close()
