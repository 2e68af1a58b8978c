"""Zip input (drafts and Word templates) is judged by what it really unpacks
to, not by the sizes its directory claims, with the same limits for
`generate --reference-docx` as for `lint` (issue 14, item 14)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES
from docx_factory import p, write_docx
from policygen.errors import UserError
from policygen.ooxml.container import UnpackBudget, check_docx_container, read_member
from template_factory import municipal_template

_DOCUMENT_START = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
                   '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')


def _docx_with_big_body(path: Path, megabytes: int) -> None:
    """A DOCX whose body is `megabytes` MB of empty paragraphs: a few hundred kB packed."""
    body = _DOCUMENT_START + "<w:p/>" * (megabytes * 1024 * 1024 // 6) + "</w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", body)


def _lie_in_central_directory(path: Path, field: str, value: int) -> None:
    """Overwrite a size every member claims in the zip's central directory."""
    data = bytearray(path.read_bytes())
    offset = {"compress_size": 20, "file_size": 24}[field]
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<I", data, start + offset, value)
        start += 4
    path.write_bytes(bytes(data))


def test_a_draft_claiming_a_large_packed_size_is_still_refused(cli, tmp_path):
    draft = tmp_path / "lögn.docx"
    _docx_with_big_body(draft, 40)
    _lie_in_central_directory(draft, "compress_size", 40 * 1024 * 1024)  # "barely packed at all"
    assert draft.stat().st_size < 2 * 1024 * 1024
    code, _, err = cli("lint", draft)
    assert code == 2 and "orimligt mycket" in err and "Traceback" not in err


def test_a_template_claiming_a_large_packed_size_is_refused_like_a_draft(cli, tmp_path):
    template = tmp_path / "mall.docx"
    _docx_with_big_body(template, 40)
    _lie_in_central_directory(template, "compress_size", 40 * 1024 * 1024)
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut", "--doc", "policy",
                       "--reference-docx", template)
    assert code == 2 and "Word-mallen" in err and "orimligt mycket" in err
    assert not (tmp_path / "ut").exists()


def test_a_member_claiming_to_be_small_is_refused_as_damaged(cli, tmp_path):
    draft = tmp_path / "liten.docx"
    _docx_with_big_body(draft, 5)
    _lie_in_central_directory(draft, "file_size", 1000)
    code, _, err = cli("lint", draft)
    assert code == 2 and ("skadad" in err or "skadat" in err) and "Traceback" not in err


def test_unpacking_is_counted_in_real_bytes(tmp_path):
    path = tmp_path / "del.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/a.bin", b"\0" * 5000)
        archive.writestr("word/b.bin", b"\0" * 5000)
    with zipfile.ZipFile(path) as archive:
        budget = UnpackBudget(path, total=8000)
        assert len(read_member(archive, "word/a.bin", path, budget)) == 5000
        with pytest.raises(UserError, match="orimligt mycket data"):
            read_member(archive, "word/b.bin", path, budget)


def test_duplicate_zip_entries_are_refused(tmp_path):
    draft = tmp_path / "dubbel.docx"
    write_docx(draft, [p("Policy"), p("Kommunen samverkar.")])
    with zipfile.ZipFile(draft, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("word/document.xml", _DOCUMENT_START + "</w:body></w:document>")
    with pytest.raises(UserError, match="två gånger"):
        check_docx_container(draft)


def test_a_normal_template_still_works(cli, tmp_path):
    template = municipal_template(tmp_path / "mall.docx")
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut", "--doc", "policy",
                       "--reference-docx", template)
    assert code == 0, err
