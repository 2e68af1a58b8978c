"""The archive: every overview run stored in one SQLite file the user names,
so the page can show what changed since an earlier run and how each part
moved over all of them.

The schema is versioned with SQLite's user_version. A newer policygen reads
an older archive by running the steps in MIGRATIONS in order (each step's
SQL brings version n to n + 1); an archive written by a newer policygen than
this one is refused with a message, never altered."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policygen import __version__
from policygen.errors import UserError
from policygen.overview.model import DocumentRef, Entity, Overview, Part, PartStatus

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,            -- ISO 8601, the run's local date and time
    source TEXT NOT NULL,             -- what was linted (the folder's name)
    policygen_version TEXT NOT NULL
);
CREATE TABLE parts (run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL,
                    id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (run_id, id));
CREATE TABLE entities (run_id INTEGER NOT NULL REFERENCES runs(id), kod TEXT NOT NULL, namn TEXT NOT NULL,
                       kind TEXT NOT NULL, lanskod TEXT NOT NULL, lan TEXT NOT NULL, PRIMARY KEY (run_id, kod));
CREATE TABLE documents (run_id INTEGER NOT NULL REFERENCES runs(id), kod TEXT NOT NULL, file TEXT NOT NULL,
                        title TEXT NOT NULL, doc_type TEXT NOT NULL, attributed_by TEXT NOT NULL);
CREATE TABLE statuses (run_id INTEGER NOT NULL REFERENCES runs(id), kod TEXT NOT NULL, part TEXT NOT NULL,
                       status TEXT NOT NULL, document TEXT NOT NULL, evidence TEXT NOT NULL, place TEXT NOT NULL,
                       PRIMARY KEY (run_id, kod, part));
CREATE TABLE problems (run_id INTEGER NOT NULL REFERENCES runs(id), file TEXT NOT NULL, message TEXT NOT NULL,
                       kind TEXT NOT NULL);   -- kind: ej_knuten | oläst
"""

# version n → n + 1; the first step that a future schema needs goes here as 1.
MIGRATIONS: dict[int, str] = {}


@dataclass(frozen=True)
class RunInfo:
    id: int
    created: str
    source: str
    entities: int


def _hint(path: Path) -> str:
    return f"ange en arkivfil som policygen har skapat, eller ett nytt filnamn (till exempel {path.stem or 'arkiv'}.sqlite)"


@contextlib.contextmanager
def open_archive(path: Path, create: bool = True) -> Iterator[sqlite3.Connection]:
    """The archive as a connection at the current schema version."""
    if not path.exists() and not create:
        raise UserError("arkivet finns inte", file=path, hint=_hint(path))
    if path.exists() and path.is_dir():
        raise UserError("arkivet är en mapp, inte en fil", file=path, hint=_hint(path))
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error as error:
        raise UserError(f"arkivet går inte att öppna ({error})", file=path, hint=_hint(path)) from error
    try:
        try:
            _upgrade(connection, path)
        except sqlite3.DatabaseError as error:
            raise UserError(f"filen är inget policygen-arkiv ({error})", file=path, hint=_hint(path)) from error
        yield connection
    finally:
        connection.close()


def _upgrade(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0:
        if tables:
            raise UserError("filen är en SQLite-databas men inget policygen-arkiv", file=path, hint=_hint(path))
        with connection:
            connection.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
        return
    if version > SCHEMA_VERSION:
        raise UserError(f"arkivet har schemaversion {version}, men den här policygen läser högst version "
                        f"{SCHEMA_VERSION}", file=path,
                        hint="uppdatera policygen; arkivet har inte ändrats")
    while version < SCHEMA_VERSION:
        with connection:
            connection.executescript(MIGRATIONS[version] + f"PRAGMA user_version = {version + 1};")
        version += 1


def store_run(connection: sqlite3.Connection, overview: Overview) -> int:
    with connection:
        cursor = connection.execute("INSERT INTO runs (created, source, policygen_version) VALUES (?, ?, ?)",
                                    (overview.created, overview.source, __version__))
        run_id = cursor.lastrowid
        assert run_id is not None
        connection.executemany("INSERT INTO parts VALUES (?, ?, ?, ?)",
                               [(run_id, n, p.id, p.name) for n, p in enumerate(overview.parts)])
        entities = list(overview.entities.values())
        connection.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                               [(run_id, e.kod, e.namn, e.kind, e.lanskod, e.lan) for e in entities])
        connection.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                               [(run_id, e.kod, d.file, d.title, d.doc_type, d.attributed_by)
                                for e in entities for d in e.documents])
        connection.executemany("INSERT INTO statuses VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [(run_id, e.kod, part, s.status, s.document, s.evidence, s.place)
                                for e in entities for part, s in e.parts.items()])
        connection.executemany("INSERT INTO problems VALUES (?, ?, ?, ?)",
                               [(run_id, f, m, "ej_knuten") for f, m in overview.unattributed]
                               + [(run_id, f, m, "oläst") for f, m in overview.errors])
    overview.run_id = run_id
    return run_id


def list_runs(connection: sqlite3.Connection) -> list[RunInfo]:
    rows = connection.execute("SELECT r.id, r.created, r.source, (SELECT count(*) FROM entities e WHERE e.run_id = r.id)"
                              " FROM runs r ORDER BY r.id").fetchall()
    return [RunInfo(*row) for row in rows]


def load_run(connection: sqlite3.Connection, run_id: int) -> Overview:
    row = connection.execute("SELECT created, source FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        numbers = ", ".join(str(r.id) for r in list_runs(connection)) or "inga"
        raise UserError(f"arkivet har ingen körning nummer {run_id}", hint=f"välj bland körningarna: {numbers}")
    parts = [Part(i, n) for i, n in connection.execute(
        "SELECT id, name FROM parts WHERE run_id = ? ORDER BY position", (run_id,))]
    overview = Overview(row[0], row[1], parts, {}, run_id=run_id)
    for kod, namn, kind, lanskod, lan in connection.execute(
            "SELECT kod, namn, kind, lanskod, lan FROM entities WHERE run_id = ?", (run_id,)):
        overview.entities[kod] = Entity(kod, namn, kind, lanskod, lan)
    for kod, file, title, doc_type, by in connection.execute(
            "SELECT kod, file, title, doc_type, attributed_by FROM documents WHERE run_id = ? ORDER BY rowid", (run_id,)):
        overview.entities[kod].documents.append(DocumentRef(file, title, doc_type, by))
    for kod, part, status, document, evidence, place in connection.execute(
            "SELECT kod, part, status, document, evidence, place FROM statuses WHERE run_id = ?", (run_id,)):
        overview.entities[kod].parts[part] = PartStatus(status, document, evidence, place)
    for file, message, kind in connection.execute(
            "SELECT file, message, kind FROM problems WHERE run_id = ? ORDER BY rowid", (run_id,)):
        (overview.unattributed if kind == "ej_knuten" else overview.errors).append((file, message))
    return overview


def part_history(connection: sqlite3.Connection) -> list[tuple[RunInfo, dict[str, int]]]:
    """Per stored run, how many kommuner had each part present: the small chart per part."""
    counts: dict[int, dict[str, int]] = {}
    for run_id, part, count in connection.execute(
            "SELECT s.run_id, s.part, count(*) FROM statuses s JOIN entities e ON e.run_id = s.run_id AND e.kod = s.kod"
            " WHERE s.status = 'present' AND e.kind = 'kommun' GROUP BY s.run_id, s.part"):
        counts.setdefault(run_id, {})[part] = count
    return [(run, counts.get(run.id, {})) for run in list_runs(connection)]
