"""The prepared base of a generated DOCX (issue 15): made once per template with
python-docx, then taken from the cache, so a `generate` does not import
python-docx; a damaged or foreign cache entry is prepared again, never trusted."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from policygen.infra.cache import cache_dir
from policygen.model import DocumentBuilder, Footnote, Table, Text
from policygen.render.docx import base as base_module
from policygen.render.docx.base import prepared_base
from policygen.render.docx.writer import render_docx
from template_factory import municipal_template


def _document():
    builder = DocumentBuilder("Riktlinje för basprov", kommun="Provköping")
    builder.heading("Riktlinje för basprov", 0)
    builder.heading("Syfte", 1)
    note = builder.footnote(Footnote("1", "Lag (2022:900) om idéburen organisation", "https://www.riksdagen.se/x"))
    builder.paragraph([Text("Kommunen samverkar med sociala företag."), note])
    return builder.document


def _text(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def _entries() -> list[Path]:
    folder = cache_dir() / "docx-base"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "cache"))
    base_module._IN_MEMORY.clear()
    yield tmp_path / "cache"
    base_module._IN_MEMORY.clear()


def test_the_base_is_prepared_once_and_then_read_from_the_cache(fresh_cache):
    first = render_docx(_document())
    assert len(_entries()) == 1
    base_module._IN_MEMORY.clear()
    stamp = _entries()[0].stat().st_mtime_ns
    second = render_docx(_document())
    assert _entries()[0].stat().st_mtime_ns == stamp
    assert _text(first) == _text(second)


@pytest.mark.parametrize("damage", [
    b"",                                        # empty
    b"not a zip at all",                        # garbage
    b"PK\x03\x04" + b"\x00" * 200,              # a broken zip
])
def test_a_damaged_entry_is_prepared_again(fresh_cache, damage):
    expected = _text(render_docx(_document()))
    entry = _entries()[0]
    entry.write_bytes(damage)
    base_module._IN_MEMORY.clear()
    assert _text(render_docx(_document())) == expected
    assert entry.read_bytes() != damage


def _rewrite_entry(entry: Path, change) -> None:
    with zipfile.ZipFile(entry) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    entry.write_bytes(out.getvalue())


@pytest.mark.parametrize("change", [
    lambda parts: parts.update({"word/styles.xml": parts["word/styles.xml"].replace(b"Heading", b"Rubrik")}),
    lambda parts: parts.update({"policygen-base.json": b"[1, 2, 3]"}),
    lambda parts: parts.update({"policygen-base.json": b'{"style_ids": "x"}'}),
    lambda parts: parts.pop("word/document.xml"),
], ids=["content changed after the hash", "a list for a manifest", "wrong types", "a part missing"])
def test_an_entry_of_the_wrong_shape_or_content_is_not_trusted(fresh_cache, change):
    expected = _text(render_docx(_document()))
    entry = _entries()[0]
    _rewrite_entry(entry, change)
    base_module._IN_MEMORY.clear()
    assert base_module._from_package(entry.read_bytes()) is None
    data = render_docx(_document())
    assert _text(data) == expected
    assert base_module._from_package(entry.read_bytes()) is not None  # prepared again and stored


def test_a_template_gets_its_own_base_and_keeps_only_its_footnote_separators(fresh_cache, tmp_path):
    template = municipal_template(tmp_path / "mall.docx")
    data = render_docx(_document(), reference_docx=template)
    assert len(_entries()) == 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        notes = archive.read("word/footnotes.xml").decode("utf-8")
        relationships = archive.read("word/_rels/footnotes.xml.rels").decode("utf-8")
    # The separators and our one note; the link of our note in the notes' relationships.
    assert notes.count("<w:footnote ") == 3
    assert "Lag (2022:900) om idéburen organisation" in notes
    assert 'Target="https://www.riksdagen.se/x"' in relationships
    assert prepared_base(template).text_width_cm == pytest.approx(16.0, abs=0.01)  # 21 − 3 − 2 cm (in twips)


def test_generate_with_a_cached_base_does_not_import_python_docx(tmp_path):
    probe = ("import sys\n"
             "from policygen.render.docx.writer import render_docx\n"
             "from policygen.model import DocumentBuilder, Text\n"
             "builder = DocumentBuilder('Policy', kommun='Provköping')\n"
             "builder.heading('Policy', 0)\n"
             "builder.paragraph([Text('Kommunen samverkar.')])\n"
             "data = render_docx(builder.document)\n"
             "assert data[:2] == b'PK'\n"
             "print('docx' in sys.modules)\n")
    environment = {"POLICYGEN_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=environment,
                           timeout=120) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr
    # The first run prepares the base with python-docx; the second reads it from the cache.
    assert [run.stdout.strip() for run in runs] == ["True", "False"]


def _renamed(package: bytes, old: str, new: str | None) -> bytes:
    """The package with part `old` renamed to `new` (None: removed), and every
    reference to it changed to match."""
    out = io.BytesIO()
    folder, _, old_name = old.rpartition("/")
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == old:
                if new is not None:
                    target.writestr(new, source.read(item.filename))
                continue
            data = source.read(item.filename).decode("utf-8", "surrogateescape")
            if item.filename.endswith(".rels") or item.filename == "[Content_Types].xml":
                if new is None:
                    data = re.sub(rf'<(Relationship|Override)\b[^>]*{re.escape(old_name)}"[^>]*/>', "", data)
                else:
                    data = data.replace(old_name, new.rpartition("/")[2])
            target.writestr(item, data.encode("utf-8", "surrogateescape"))
    return out.getvalue()


@pytest.mark.parametrize("change", [
    lambda package: _renamed(package, "word/settings.xml", None),
    lambda package: _renamed(package, "word/settings.xml", "word/inställningar2.xml"),
    lambda package: package.replace(b'w:id="-1"', 'w:id="²"'.encode()),
], ids=["no settings part", "settings under another name", "odd footnote id"])
def test_templates_named_and_shaped_otherwise_still_work(fresh_cache, tmp_path, change):
    template = municipal_template(tmp_path / "mall.docx")
    odd = tmp_path / "annorlunda.docx"
    odd.write_bytes(change(template.read_bytes()))
    data = render_docx(_document(), reference_docx=odd)
    word = docx.Document(io.BytesIO(data))
    assert [p.text for p in word.paragraphs][:2] == ["Riktlinje för basprov", "Syfte"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        types = archive.read("[Content_Types].xml").decode("utf-8")
    # Every part we wrote is one the package declares: no stray second settings or document part.
    for name in names:
        if name.endswith(".xml") and not name.startswith("[") and "_rels" not in name:
            assert f'PartName="/{name}"' in types or 'Extension="xml"' in types, name
    assert len([n for n in names if "settings" in n or "inställningar" in n]) == 1


def test_a_row_shorter_than_the_header_keeps_every_column(fresh_cache):
    builder = DocumentBuilder("Plan", kommun="Provköping")
    builder.heading("Plan", 0)
    builder.document.blocks.append(Table(("Aktivitet", "Ansvarig", "När"), (("Kartlägga", "", "2027"), ("Träff",)),
                                         builder.document.blocks[0].location, "activities"))
    table = docx.Document(io.BytesIO(render_docx(builder.document))).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Aktivitet", "Ansvarig", "När"], ["Kartlägga", "", "2027"], ["Träff", "", ""]]
